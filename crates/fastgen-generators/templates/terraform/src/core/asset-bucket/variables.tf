variable "bucket_prefix" {
  description = "Prefix of the bucket name (a unique suffix is added)."
  type        = string
  default     = "fastgen-assets-"
}

variable "kms_key_arn" {
  description = "KMS key for SSE-KMS (null: the AWS managed key aws/s3)."
  type        = string
  default     = null
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which replaced bundle versions are deleted."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Delete the bucket even when it holds objects."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
