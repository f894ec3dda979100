variable "region" {
  description = "AWS region to deploy the {{ title | hcl_string }} website{% if apis %} and its APIs{% endif %} to."
  type        = string
  default     = "us-east-1"
}
{% if apis %}

variable "allowed_origins" {
  description = "Origins the APIs accept besides the website's (CORS), e.g. a local dev server."
  type        = list(string)
  default     = []
}
{% endif %}
{% if cognito %}

variable "mfa_configuration" {
  description = "MFA of the user pool: OPTIONAL (required at sign-in for users who set up TOTP) or ON (every sign-in; choose it when the pool is created)."
  type        = string
  default     = "OPTIONAL"

  validation {
    condition     = contains(["ON", "OPTIONAL"], var.mfa_configuration)
    error_message = "mfa_configuration must be ON or OPTIONAL."
  }
}

variable "sign_in_domain_prefix" {
  description = "Prefix of the user pool's hosted sign-in domain (https://<prefix>.auth.<region>.amazoncognito.com), unique in the region; null: <website>-<account id>. It may not contain aws, amazon or cognito."
  type        = string
  default     = null
}

variable "callback_urls" {
  description = "Where else Cognito may redirect after sign-in (the website's URL is always allowed), e.g. a local dev server."
  type        = list(string)
  default     = []
}

variable "logout_urls" {
  description = "Where else Cognito may redirect after sign-out."
  type        = list(string)
  default     = []
}
{% endif %}

variable "tags" {
  description = "Tags of every resource (provider default_tags)."
  type        = map(string)
  default = {
    "fastgen:website" = "{{ kebab_name | hcl_string }}"
  }
}
