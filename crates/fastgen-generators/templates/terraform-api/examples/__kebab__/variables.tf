variable "region" {
  description = "AWS region to deploy the {{ class_name | hcl_string }} API to."
  type        = string
  default     = "us-east-1"
}

variable "cors_allowed_origins" {
  description = "Origins allowed by CORS; [\"*\"] allows any."
  type        = list(string)
  default     = ["*"]
}
{% if auth == 'Cognito' %}

variable "mfa_configuration" {
  description = "MFA of the user pool: OPTIONAL (required at sign-in for users who set up TOTP) or ON (every sign-in; choose it when the pool is created)."
  type        = string
  default     = "OPTIONAL"

  validation {
    condition     = contains(["ON", "OPTIONAL"], var.mfa_configuration)
    error_message = "mfa_configuration must be ON or OPTIONAL."
  }
}

variable "callback_urls" {
  description = "Where Cognito may redirect after sign-in (authorization code grant): your app's URLs."
  type        = list(string)
  default     = ["http://localhost:3000/"]
}

variable "logout_urls" {
  description = "Where Cognito may redirect after sign-out."
  type        = list(string)
  default     = ["http://localhost:3000/"]
}
{% endif %}

variable "tags" {
  description = "Tags of every resource (provider default_tags)."
  type        = map(string)
  default = {
    "fastgen:api" = "{{ kebab_name | hcl_string }}"
  }
}
