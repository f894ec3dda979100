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
  description = "Timeout of every function, in seconds. Each integration waits 1 s longer{% if is_rest %} (29 s by default){% else %} (HTTP APIs: at most 30 s){% endif %}, so the function stops before API Gateway gives up on it."
  type        = number
  default     = 28

  validation {
    condition     = var.timeout >= 1 && var.timeout < {{ 900 if is_rest else 30 }}
    error_message = "timeout must be 1 to {% if is_rest %}899 seconds (a STREAM integration waits at most 900 s){% else %}29 seconds (an HTTP API integration waits at most 30 s){% endif %}."
  }
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

  validation {
    condition     = alltrue([for options in values(var.operation_options) : options.timeout == null || (options.timeout >= 1 && options.timeout < {{ 900 if is_rest else 30 }})])
    error_message = "An operation's timeout must be 1 to {{ 899 if is_rest else 29 }} seconds, like timeout."
  }
}
{% endif %}

variable "snap_start" {
  description = "SnapStart on the published versions API Gateway invokes."
  type        = bool
  default     = true
}

{% if auth == 'None' %}
variable "reserved_concurrent_executions" {
  description = "Reserved concurrency (and so the cap) of every function; -1: none. 10 by default because the API is public (auth None): its compute, and so its cost, stays bounded whatever the traffic. It comes out of the account's regional pool (1000 by default, of which Lambda keeps 100 unreserved)."
  type        = number
  default     = 10
}
{% else %}
variable "reserved_concurrent_executions" {
  description = "Reserved concurrency (and so the cap) of every function; -1: none (the stage's throttling bounds the requests)."
  type        = number
  default     = -1
}
{% endif %}

variable "throttle" {
  description = "Stage throttling of every {% if is_rest %}method{% else %}route{% endif %}: requests per second and burst; API Gateway answers 429 beyond them (the account's regional quota, shared by all its APIs, is 10000 and 5000)."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false
}

variable "alarms" {
  description = <<-EOT
    CloudWatch alarms: the API's 5xx rate (share of requests, in 3 of 5 minutes) and p99
    latency in ms (3 periods of 5 minutes), and every function's errors and throttles (Sum over
    5 minutes), at or above these thresholds; `actions` (e.g. SNS topic ARNs) are notified.
  EOT
  type = object({
    enabled            = optional(bool, true)
    server_error_rate  = optional(number, 0.05)
    latency_p99_ms     = optional(number, 5000)
    function_errors    = optional(number, 1)
    function_throttles = optional(number, 1)
    actions            = optional(list(string), [])
  })
  default  = {}
  nullable = false
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

variable "retain_logs" {
  description = "Keep the log groups when the module is destroyed (skip_destroy). A function's log group has a fixed name: re-creating the API after a destroy needs it imported or deleted first."
  type        = bool
  default     = true
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
  description = "Integration timeout of every method in milliseconds (STREAM integrations allow up to 900000); null: each function's timeout plus 1 s (29000 by default). Keep it above the function timeouts."
  type        = number
  default     = null
}
{% endif %}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
