variable "function_name" {
  description = "Name of the Lambda function (also names its log group `/aws/lambda/<name>`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 characters of letters, digits, '-' and '_'."
  }
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = ""
}

variable "service_name" {
  description = "POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE (the API class name)."
  type        = string
}

variable "handler" {
  description = "Lambda handler: `run.sh` behind the Lambda Web Adapter, `<module>.authorizer.handler` for an authorizer."
  type        = string
  default     = "run.sh"
}

variable "runtime" {
  description = "Lambda runtime."
  type        = string
  default     = "python3.13"
}

variable "architecture" {
  description = "Instruction set of the bundle: x86_64 or arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "s3_bucket" {
  description = "Bucket holding the zipped bundle."
  type        = string
}

variable "s3_key" {
  description = "Key of the zipped bundle (content-addressed, so a new bundle is a new key)."
  type        = string
}

variable "source_code_hash" {
  description = "Base64 SHA-256 of the zipped bundle: a change publishes a new version."
  type        = string
  default     = null
}

variable "web_adapter" {
  description = "Run the handler behind the Lambda Web Adapter (layer and AWS_LWA_* environment). False for a plain Python handler such as an authorizer."
  type        = bool
  default     = true
}

variable "web_adapter_layer_version" {
  description = "Version of the LambdaAdapterLayerX86 / LambdaAdapterLayerArm64 layer (the same pinned constant as the CDK constructs)."
  type        = number
  default     = 30
}

variable "invoke_mode" {
  description = "AWS_LWA_INVOKE_MODE: response_stream behind a REST API (streaming), buffered behind an HTTP API."
  type        = string
  default     = "buffered"

  validation {
    condition     = contains(["response_stream", "buffered"], var.invoke_mode)
    error_message = "invoke_mode must be response_stream or buffered."
  }
}

variable "app_port" {
  description = "Port the app listens on behind the adapter (PORT / AWS_LWA_PORT)."
  type        = number
  default     = 8000
}

variable "readiness_check_path" {
  description = "AWS_LWA_READINESS_CHECK_PATH: a path the app always answers with 200."
  type        = string
  default     = "/__health"
}

variable "after_restore_path" {
  description = "AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH: the path the Lambda Web Adapter (v1.1.0+) calls after a SnapStart restore, before any request."
  type        = string
  default     = "/__after_restore"
}

variable "allowed_origins" {
  description = "CORS origins; anything but [\"*\"] is passed to the app as ALLOWED_ORIGINS (comma-separated)."
  type        = list(string)
  default     = ["*"]
}

variable "environment" {
  description = "Extra environment variables (they win over the defaults)."
  type        = map(string)
  default     = {}
}

variable "memory_size" {
  description = "Memory in MB."
  type        = number
  default     = 512
}

variable "timeout" {
  description = "Timeout in seconds (28: below the 29 s of a REST API integration, so the function stops before API Gateway gives up on it)."
  type        = number
  default     = 28
}

variable "snap_start" {
  description = "SnapStart on published versions (the alias, which API Gateway invokes, points at the latest published version)."
  type        = bool
  default     = true
}

variable "alias_name" {
  description = "Name of the alias pointing at the latest published version."
  type        = string
  default     = "live"
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency (also the function's cap); -1 leaves the function on the account's unreserved pool."
  type        = number
  default     = -1
}

variable "layers" {
  description = "Extra layer ARNs (after the web adapter layer)."
  type        = list(string)
  default     = []
}

variable "vpc_subnet_ids" {
  description = "Subnets to place the function in (empty: no VPC)."
  type        = list(string)
  default     = []
}

variable "vpc_security_group_ids" {
  description = "Security groups of the function when it is placed in a VPC."
  type        = list(string)
  default     = []
}

variable "policy_statements" {
  description = "Extra IAM statements for the execution role."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default = []
}

variable "managed_policy_arns" {
  description = "Managed policies to attach to the execution role."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the environment variables (null: AWS managed key)."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 365
}

variable "retain_logs" {
  description = "Keep the log group when the module is destroyed (skip_destroy)."
  type        = bool
  default     = true
}

variable "alarms" {
  description = "CloudWatch alarms on the function's Errors and Throttles (Sum over 5 minutes, at or above the threshold), with these actions (e.g. SNS topic ARNs)."
  type = object({
    enabled             = optional(bool, true)
    errors_threshold    = optional(number, 1)
    throttles_threshold = optional(number, 1)
    actions             = optional(list(string), [])
  })
  default  = {}
  nullable = false
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key for the log group (null: CloudWatch Logs default encryption)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
