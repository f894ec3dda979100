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

variable "tags" {
  description = "Tags of every resource (provider default_tags)."
  type        = map(string)
  default = {
    "fastgen:api" = "{{ kebab_name | hcl_string }}"
  }
}
