# Inputs of the {{ title }} website module ({{ project_dir }}).

variable "workspace_root" {
  description = "The workspace root (the directory holding nx.json); null: seven levels above this module."
  type        = string
  default     = null
}

variable "site_dir" {
  description = "The site built by the website's build target, relative to the workspace root (or absolute)."
  type        = string
  default     = "{{ dist_dir | hcl_string }}"
}

variable "name" {
  description = "Name of the website: the start of its bucket names; change it to deploy the website twice in one account."
  type        = string
  default     = "{{ kebab_name | hcl_string }}"
}

variable "runtime_config" {
  description = "Written as runtime-config.json: { apis = { <name> = <url> }, cognito = { region, userPoolId, userPoolClientId, identityPoolId, domain } } (cognito optional)."
  type        = any
  default     = { apis = {} }
}

variable "connect_sources" {
  description = "What the site may call besides its own origin (the Content-Security-Policy's connect-src)."
  type        = list(string)
  default     = []
}

variable "content_security_policy" {
  description = "The whole Content-Security-Policy header (null: the default, built from connect_sources)."
  type        = string
  default     = null
}

variable "versioning" {
  description = "Keep replaced and deleted objects of the site as noncurrent versions (30 days)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Days CloudFront's and S3's access logs are kept."
  type        = number
  default     = 90
}

variable "price_class" {
  description = "The edge locations that serve the site (PriceClass_100, PriceClass_200 or PriceClass_All)."
  type        = string
  default     = "PriceClass_100"
}

variable "aliases" {
  description = "Your own domain names for the distribution; they need acm_certificate_arn."
  type        = list(string)
  default     = []
}

variable "acm_certificate_arn" {
  description = "ACM certificate (in us-east-1) of the aliases."
  type        = string
  default     = null
}

variable "web_acl_id" {
  description = "A WAF web ACL (global scope) for the distribution, by ARN."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Delete the buckets even when they hold objects."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}
