# The {{ title }} website ({{ project_dir }}) on S3 and CloudFront: its build, which
# `pnpm nx run {{ project_name }}:build` writes to {{ dist_dir }}, and a runtime-config.json
# written from var.runtime_config (the URLs of the APIs it calls, the Cognito ids).
#
# Created by fastgen; yours to edit.

locals {
  workspace_root = coalesce(var.workspace_root, "${path.module}/../../../../../../..")
  site_dir       = startswith(var.site_dir, "/") ? var.site_dir : "${local.workspace_root}/${var.site_dir}"
}

module "website" {
  source = "../../../core/static-website"

  name                    = var.name
  site_dir                = local.site_dir
  runtime_config          = var.runtime_config
  connect_sources         = var.connect_sources
  content_security_policy = var.content_security_policy
  versioning              = var.versioning
  log_retention_days      = var.log_retention_days
  price_class             = var.price_class
  aliases                 = var.aliases
  acm_certificate_arn     = var.acm_certificate_arn
  web_acl_id              = var.web_acl_id
  force_destroy           = var.force_destroy
  tags                    = var.tags
}
