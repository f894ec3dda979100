variable "name" {
  description = "Name of the website: the start of its bucket names and in descriptions."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,59}$", var.name))
    error_message = "name must be 1-60 characters of lower-case letters, digits and '-', starting with a letter or digit."
  }
}

variable "site_dir" {
  description = "The built site (a directory with index.html), absolute or relative to the root module."
  type        = string
}

variable "runtime_config" {
  description = "Written as runtime-config.json: { apis = { <name> = <url> }, cognito = { region, userPoolId, userPoolClientId, identityPoolId, domain } } (cognito optional). The build's own runtime-config.json (the local one) is never uploaded."
  type        = any
  default     = { apis = {} }
}

variable "connect_sources" {
  description = "What the site may call besides its own origin (the Content-Security-Policy's connect-src): the APIs' origins, Cognito's endpoints."
  type        = list(string)
  default     = []
}

variable "content_security_policy" {
  description = "The whole Content-Security-Policy header (null: the default, built from connect_sources)."
  type        = string
  default     = null
}

variable "versioning" {
  description = "Keep replaced and deleted objects of the site as noncurrent versions (expired after noncurrent_version_expiration_days)."
  type        = bool
  default     = true
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which replaced versions of the site's objects are deleted."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Days CloudFront's and S3's access logs are kept."
  type        = number
  default     = 90
}

variable "price_class" {
  description = "The edge locations that serve the site (PriceClass_100: North America and Europe)."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "aliases" {
  description = "Your own domain names for the distribution; they need acm_certificate_arn."
  type        = list(string)
  default     = []
}

variable "acm_certificate_arn" {
  description = "ACM certificate (in us-east-1) of the aliases; with it, viewers need TLS 1.2 or newer."
  type        = string
  default     = null
}

variable "web_acl_id" {
  description = "A WAF web ACL (global scope) for the distribution, by ARN."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Delete the buckets even when they hold objects (the site, the logs)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
