variable "name" {
  description = "Name of the HTTP API (the API class name)."
  type        = string
}

variable "description" {
  description = "Description of the HTTP API."
  type        = string
  default     = ""
}

variable "routes" {
  description = <<-EOT
    One route per entry, keyed by operation name (or `root` / `proxy` for a router):
    `path` (/items/{item_id}, /{proxy+}, ...), `method` (GET, POST, ... or ANY), and the
    Lambda alias that serves it: `function_name`, `qualifier` (the alias name) and
    `invoke_arn` (its invocation URI); optionally `timeout_ms`, the integration timeout
    (at most 30000; keep it above the function's timeout).
  EOT
  type = map(object({
    path          = string
    method        = string
    function_name = string
    qualifier     = string
    invoke_arn    = string
    timeout_ms    = optional(number)
  }))

  validation {
    condition = alltrue([
      for route in values(var.routes) :
      startswith(route.path, "/") && contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"], upper(route.method))
    ])
    error_message = "Every route needs a path starting with '/' and a method among GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS and ANY."
  }

  validation {
    condition     = alltrue([for route in values(var.routes) : route.timeout_ms == null || (route.timeout_ms >= 50 && route.timeout_ms <= 30000)])
    error_message = "An HTTP API integration timeout (timeout_ms) is 50 to 30000 milliseconds."
  }
}

variable "auth_type" {
  description = "IAM (AWS_IAM on every route), COGNITO (JWT authorizer), CUSTOM (Lambda REQUEST authorizer, simple responses) or NONE."
  type        = string

  validation {
    condition     = contains(["IAM", "COGNITO", "CUSTOM", "NONE"], var.auth_type)
    error_message = "auth_type must be IAM, COGNITO, CUSTOM or NONE."
  }
}

variable "jwt_issuer" {
  description = "Issuer of the accepted JWTs (auth_type COGNITO): https://cognito-idp.<region>.amazonaws.com/<user pool id>."
  type        = string
  default     = null
}

variable "jwt_audience" {
  description = "Accepted audiences (auth_type COGNITO): the user pool client ids."
  type        = list(string)
  default     = []
}

variable "lambda_authorizer" {
  description = "The REQUEST authorizer function (auth_type CUSTOM): name, alias and invocation URI."
  type = object({
    function_name = string
    qualifier     = string
    invoke_arn    = string
  })
  default = null
}

variable "authorizer_result_ttl_seconds" {
  description = "How long API Gateway caches an authorizer's decision (per Authorization header)."
  type        = number
  default     = 300
}

variable "cors_allowed_origins" {
  description = "Origins of the API's CORS configuration; [\"*\"] allows any."
  type        = list(string)
  default     = ["*"]
}

variable "throttle" {
  description = "Throttling of every route of the $default stage: requests per second and burst (the account's regional quota, shared by all its APIs, is 10000 and 5000)."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false
}

variable "alarms" {
  description = "CloudWatch alarms on the API: 5xx rate (share of requests, in 3 of 5 minutes) and p99 latency in ms (3 periods of 5 minutes), with these actions (e.g. SNS topic ARNs)."
  type = object({
    enabled           = optional(bool, true)
    server_error_rate = optional(number, 0.05)
    latency_p99_ms    = optional(number, 5000)
    actions           = optional(list(string), [])
  })
  default  = {}
  nullable = false
}

variable "log_retention_days" {
  description = "Retention of the access log group."
  type        = number
  default     = 365
}

variable "retain_logs" {
  description = "Keep the access log group when the module is destroyed (skip_destroy)."
  type        = bool
  default     = true
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
