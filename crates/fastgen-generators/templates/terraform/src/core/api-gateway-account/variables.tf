variable "role_name_prefix" {
  description = "Prefix of the name of the role API Gateway uses to write logs."
  type        = string
  default     = "apigateway-cloudwatch-"
}

variable "tags" {
  description = "Tags of the role."
  type        = map(string)
  default     = {}
}
