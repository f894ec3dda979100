# Inputs of the {{ class_name }} API module ({{ project_dir }}).

variable "asset_bucket_name" {
  description = "Bucket the zipped Lambda bundle is uploaded to (e.g. the asset-bucket module's bucket_name)."
  type        = string
}

variable "asset_key_prefix" {
  description = "Key prefix of the bundle in the asset bucket (the key ends with the bundle's SHA-256)."
  type        = string
  default     = "{{ kebab_name | hcl_string }}/"
}

variable "workspace_root" {
  description = "The workspace root (the directory holding nx.json); null: seven levels above this module."
  type        = string
  default     = null
}

variable "bundle_dir" {
  description = "The Lambda bundle built by the API's bundle target, relative to the workspace root (or absolute)."
  type        = string
  default     = "{{ bundle_dir | hcl_string }}"
}

variable "name_prefix" {
  description = "Prefix of the function names (<prefix>-<operation>); change it to deploy the API twice in one account and region."
  type        = string
  default     = "{{ kebab_name | hcl_string }}"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,40}$", var.name_prefix))
    error_message = "name_prefix must be 1-40 characters of letters, digits, '-' and '_'."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed by CORS; [\"*\"] allows any. Anything else narrows {% if is_rest %}the preflight responses{% else %}the API's CORS configuration{% endif %} and sets ALLOWED_ORIGINS on every function."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_allowed_origins) > 0
    error_message = "cors_allowed_origins needs at least one origin (or \"*\")."
  }
}
{% if auth == 'Cognito' %}
{% if is_rest %}

variable "cognito_user_pool_arns" {
  description = "ARNs of the Cognito user pools whose ID tokens the API accepts."
  type        = list(string)

  validation {
    condition     = length(var.cognito_user_pool_arns) > 0
    error_message = "cognito_user_pool_arns needs at least one user pool ARN."
  }
}
{% else %}

variable "jwt_issuer" {
  description = "Issuer of the accepted tokens: https://cognito-idp.<region>.amazonaws.com/<user pool id>."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted audiences: the ids of the Cognito user pool clients."
  type        = list(string)

  validation {
    condition     = length(var.jwt_audience) > 0
    error_message = "jwt_audience needs at least one client id."
  }
}
{% endif %}
{% endif %}

variable "environment" {
  description = "Extra environment variables of every function (they win over the defaults)."
  type        = map(string)
  default     = {}
}

variable "policy_statements" {
  description = "Extra IAM statements for the execution role of every function."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default = []
}

variable "memory_size" {
  description = "Memory of every function, in MB."
  type        = number
  default     = 512
}

variable "timeout" {
  description = "Timeout of every function, in seconds."
  type        = number
  default     = 30
}
{% if integration_pattern == 'isolated' %}

variable "operation_options" {
  description = "Per-operation overrides of memory_size, timeout and environment, keyed by operation name."
  type = map(object({
    memory_size = optional(number)
    timeout     = optional(number)
    environment = optional(map(string), {})
  }))
  default = {}
}
{% endif %}

variable "snap_start" {
  description = "SnapStart on the published versions API Gateway invokes."
  type        = bool
  default     = true
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency of every function; -1: none."
  type        = number
  default     = -1
}

variable "vpc_subnet_ids" {
  description = "Subnets to place the functions in (empty: no VPC)."
  type        = list(string)
  default     = []
}

variable "vpc_security_group_ids" {
  description = "Security groups of the functions when they are placed in a VPC."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the function and access log groups, in days."
  type        = number
  default     = 365
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key for the log groups (null: CloudWatch Logs default encryption)."
  type        = string
  default     = null
}
{% if is_rest %}

variable "stage_name" {
  description = "Name of the REST API stage."
  type        = string
  default     = "prod"
}

variable "integration_timeout_ms" {
  description = "Integration timeout in milliseconds (streaming integrations allow up to 900000; null: 29000)."
  type        = number
  default     = null
}
{% endif %}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
