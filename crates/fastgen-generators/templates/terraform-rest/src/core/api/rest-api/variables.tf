variable "name" {
  description = "Name of the REST API (the API class name)."
  type        = string
}

variable "description" {
  description = "Description of the REST API."
  type        = string
  default     = ""
}

variable "routes" {
  description = <<-EOT
    One method per entry, keyed by operation name (or `root` / `proxy` for a router):
    `path` (an API Gateway path such as /items/{item_id} or /{proxy+}, at most 8 segments),
    `method` (GET, POST, ... or ANY), and the Lambda alias that serves it: `function_name`,
    `qualifier` (the alias name) and `invoke_uri` (its response-streaming invocation URI);
    optionally `timeout_ms`, the integration timeout (keep it above the function's timeout).
  EOT
  type = map(object({
    path          = string
    method        = string
    function_name = string
    qualifier     = string
    invoke_uri    = string
    timeout_ms    = optional(number)
  }))

  validation {
    condition = alltrue([
      for route in values(var.routes) :
      startswith(route.path, "/") && (route.path == "/" || length(split("/", trimprefix(route.path, "/"))) <= 8)
    ])
    error_message = "Every route path must start with '/' and have at most 8 segments (add a level to the resource tree in main.tf for deeper paths)."
  }

  validation {
    condition = alltrue([
      for route in values(var.routes) :
      contains(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"], upper(route.method))
    ])
    error_message = "Every route method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY."
  }

  validation {
    condition     = alltrue([for route in values(var.routes) : route.timeout_ms == null || (route.timeout_ms >= 50 && route.timeout_ms <= 900000)])
    error_message = "A REST API integration timeout (timeout_ms) is 50 to 900000 milliseconds (above 29000 for STREAM integrations only)."
  }
}

variable "auth_type" {
  description = "IAM (AWS_IAM on every method), COGNITO (user pool authorizer), CUSTOM (Lambda TOKEN authorizer) or NONE."
  type        = string

  validation {
    condition     = contains(["IAM", "COGNITO", "CUSTOM", "NONE"], var.auth_type)
    error_message = "auth_type must be IAM, COGNITO, CUSTOM or NONE."
  }
}

variable "cognito_user_pool_arns" {
  description = "User pools whose ID tokens the API accepts (auth_type COGNITO)."
  type        = list(string)
  default     = []
}

variable "lambda_authorizer" {
  description = "The TOKEN authorizer function (auth_type CUSTOM): name, alias and buffered invocation URI."
  type = object({
    function_name = string
    qualifier     = string
    invoke_arn    = string
  })
  default = null
}

variable "authorizer_result_ttl_seconds" {
  description = "How long API Gateway caches an authorizer's decision."
  type        = number
  default     = 300
}

variable "invoke_permission_actions" {
  description = "Actions granted to API Gateway on every route's alias (one permission each, scoped to the method's ARN). InvokeWithResponseStream is authorised by lambda:InvokeFunction; the streaming action is granted too for STREAM integrations."
  type        = list(string)
  default     = ["lambda:InvokeFunction", "lambda:InvokeFunctionWithResponseStream"]
}

variable "integration_timeout_ms" {
  description = "Integration timeout in milliseconds of the routes without their own `timeout_ms` (streaming integrations allow up to 900000; null: 29000)."
  type        = number
  default     = null
}

variable "throttle" {
  description = "Stage throttling of every method: requests per second and burst (the account's regional quota, shared by all its APIs, is 10000 and 5000)."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false
}

variable "alarms" {
  description = "CloudWatch alarms on the stage: 5xx rate (share of requests, in 3 of 5 minutes) and p99 latency in ms (3 periods of 5 minutes), with these actions (e.g. SNS topic ARNs)."
  type = object({
    enabled           = optional(bool, true)
    server_error_rate = optional(number, 0.05)
    latency_p99_ms    = optional(number, 5000)
    actions           = optional(list(string), [])
  })
  default  = {}
  nullable = false
}

variable "cors_allowed_origins" {
  description = "Origins answered by the preflight (OPTIONS) methods and gateway error responses; [\"*\"] allows any."
  type        = list(string)
  default     = ["*"]
}

variable "stage_name" {
  description = "Name of the stage."
  type        = string
  default     = "prod"
}

variable "log_retention_days" {
  description = "Retention of the access and execution log groups."
  type        = number
  default     = 365
}

variable "retain_logs" {
  description = "Keep the access and execution log groups when the module is destroyed (skip_destroy)."
  type        = bool
  default     = true
}

variable "log_kms_key_arn" {
  description = "Customer managed KMS key for the log groups (null: CloudWatch Logs default encryption)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
