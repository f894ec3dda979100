# A static website: the built site in a private S3 bucket, served by CloudFront through Origin
# Access Control, with security response headers (HSTS, a Content-Security-Policy,
# X-Content-Type-Options, X-Frame-Options DENY, Referrer-Policy), the single-page-app fallback
# (403 and 404 answer /index.html with 200), access logs (CloudFront and S3) in a log bucket,
# and runtime-config.json written from var.runtime_config, so one build serves every
# environment.
#
# Vite's hashed files (assets/) are cached for a year; everything else (index.html, public/
# files, the runtime configuration) is revalidated on every load, and CloudFront keeps it at
# most a second (the managed CachingOptimized policy's minimum), so no invalidation is needed.
#
# Created by fastgen; yours to edit.

data "aws_caller_identity" "current" {}

data "aws_cloudfront_cache_policy" "optimized" {
  name = "Managed-CachingOptimized"
}

locals {
  runtime_config_key = "runtime-config.json"
  # Every file of the build but its local runtime configuration.
  files = setsubtract(fileset(var.site_dir, "**"), [local.runtime_config_key])
  content_types = {
    avif        = "image/avif"
    css         = "text/css; charset=utf-8"
    gif         = "image/gif"
    html        = "text/html; charset=utf-8"
    ico         = "image/x-icon"
    jpeg        = "image/jpeg"
    jpg         = "image/jpeg"
    js          = "text/javascript; charset=utf-8"
    json        = "application/json"
    map         = "application/json"
    mjs         = "text/javascript; charset=utf-8"
    otf         = "font/otf"
    pdf         = "application/pdf"
    png         = "image/png"
    svg         = "image/svg+xml"
    ttf         = "font/ttf"
    txt         = "text/plain; charset=utf-8"
    wasm        = "application/wasm"
    webmanifest = "application/manifest+json"
    webp        = "image/webp"
    woff        = "font/woff"
    woff2       = "font/woff2"
    xml         = "application/xml"
  }
  default_content_security_policy = join("; ", [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    join(" ", concat(["connect-src", "'self'"], distinct(var.connect_sources))),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "upgrade-insecure-requests",
  ])
  content_security_policy = coalesce(var.content_security_policy, local.default_content_security_policy)
  bucket_prefix           = trimsuffix(substr(var.name, 0, 24), "-")
  url                     = length(var.aliases) > 0 ? "https://${var.aliases[0]}" : "https://${aws_cloudfront_distribution.this.domain_name}"
}

# ---------------------------------------------------------------------------------------------
# The log bucket: CloudFront's standard logs (cloudfront/) and the site bucket's access logs (s3/)
# ---------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This bucket receives the access logs; logging access to it would log its own log deliveries.
  #checkov:skip=CKV_AWS_144:Access logs are kept in the region they are written in; replication adds nothing.
  #checkov:skip=CKV_AWS_145:CloudFront's log delivery cannot write to a bucket encrypted with SSE-KMS; SSE-S3 applies.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new log files.
  bucket_prefix = "${local.bucket_prefix}-logs-"
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  #checkov:skip=CKV2_AWS_65:CloudFront delivers its standard logs through an ACL grant, which needs ACLs enabled on this bucket (public ACLs stay blocked).
  bucket = aws_s3_bucket.logs.id

  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.logs.arn,
      "${aws_s3_bucket.logs.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "SiteBucketAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/s3/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.site.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json

  depends_on = [aws_s3_bucket_public_access_block.logs]
}

# ---------------------------------------------------------------------------------------------
# The site bucket: private, read by this distribution only
# ---------------------------------------------------------------------------------------------

resource "aws_s3_bucket" "site" {
  #checkov:skip=CKV_AWS_144:The site is rebuilt from source and served worldwide by CloudFront; replication adds nothing.
  #checkov:skip=CKV_AWS_145:S3-managed encryption (SSE-S3): CloudFront reads the objects without a KMS key policy.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new site files.
  bucket_prefix = "${local.bucket_prefix}-site-"
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_ownership_controls" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "site" {
  bucket = aws_s3_bucket.site.id

  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "site" {
  bucket = aws_s3_bucket.site.id

  rule {
    id     = "expire-replaced-files"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.site]
}

resource "aws_s3_bucket_logging" "site" {
  bucket        = aws_s3_bucket.site.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3/"

  depends_on = [aws_s3_bucket_policy.logs]
}

data "aws_iam_policy_document" "site" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.site.arn,
      "${aws_s3_bucket.site.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # Origin Access Control: CloudFront signs its requests, and only this distribution's pass.
  statement {
    sid       = "CloudFrontReadsTheSite"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.site.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = data.aws_iam_policy_document.site.json

  depends_on = [aws_s3_bucket_public_access_block.site]
}

# ---------------------------------------------------------------------------------------------
# The distribution
# ---------------------------------------------------------------------------------------------

resource "aws_cloudfront_origin_access_control" "site" {
  name                              = aws_s3_bucket.site.id
  description                       = "The ${var.name} website's bucket (fastgen)"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_response_headers_policy" "security" {
  #checkov:skip=CKV_AWS_259:HSTS is sent for two years with includeSubDomains; preload is a commitment for a whole registrable domain (browsers' preload lists), to make for your own domain.
  name    = "${aws_s3_bucket.site.id}-security-headers"
  comment = "Security headers of the ${var.name} website (fastgen)"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }

    content_security_policy {
      content_security_policy = local.content_security_policy
      override                = true
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_68:A WAF web ACL is an account-level choice with its own cost (web_acl_id attaches one); the site is static files from a private bucket.
  #checkov:skip=CKV2_AWS_47:No WAF web ACL by default (see CKV_AWS_68), so no managed rule group to check.
  #checkov:skip=CKV_AWS_174:The default *.cloudfront.net certificate fixes the security policy; aliases with acm_certificate_arn require TLS 1.2.
  #checkov:skip=CKV2_AWS_42:The default *.cloudfront.net certificate unless aliases and acm_certificate_arn are given.
  #checkov:skip=CKV_AWS_310:One origin, the private S3 bucket; an origin group needs a second bucket in another region.
  #checkov:skip=CKV_AWS_374:A public website is served worldwide; add a geo_restriction where required.
  enabled             = true
  is_ipv6_enabled     = true
  http_version        = "http2and3"
  comment             = "${var.name} website (fastgen)"
  default_root_object = "index.html"
  price_class         = var.price_class
  aliases             = var.aliases
  web_acl_id          = var.web_acl_id
  tags                = var.tags

  origin {
    origin_id                = "site"
    domain_name              = aws_s3_bucket.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  default_cache_behavior {
    target_origin_id           = "site"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    compress                   = true
  }

  # A single-page app routes in the browser: a path with no object (S3 answers 403 to
  # CloudFront, which may not list the bucket; 404 otherwise) gets index.html, uncached.
  dynamic "custom_error_response" {
    for_each = [403, 404]

    content {
      error_code            = custom_error_response.value
      response_code         = 200
      response_page_path    = "/index.html"
      error_caching_min_ttl = 0
    }
  }

  logging_config {
    bucket          = aws_s3_bucket.logs.bucket_domain_name
    prefix          = "cloudfront/"
    include_cookies = false
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.acm_certificate_arn == null
    acm_certificate_arn            = var.acm_certificate_arn
    ssl_support_method             = var.acm_certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.acm_certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }

  depends_on = [aws_s3_bucket_ownership_controls.logs, aws_s3_bucket_policy.logs]
}

# ---------------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------------

resource "aws_s3_object" "file" {
  #checkov:skip=CKV_AWS_186:The bucket's default encryption (SSE-S3) applies: CloudFront reads the objects without a KMS key policy.
  for_each = local.files

  bucket        = aws_s3_bucket.site.id
  key           = each.value
  source        = "${var.site_dir}/${each.value}"
  etag          = filemd5("${var.site_dir}/${each.value}")
  content_type  = lookup(local.content_types, lower(try(regex("\\.([^./]+)$", each.value)[0], "")), "application/octet-stream")
  cache_control = startswith(each.value, "assets/") ? "public, max-age=31536000, immutable" : "no-cache"
  tags          = var.tags

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.site]
}

resource "aws_s3_object" "runtime_config" {
  #checkov:skip=CKV_AWS_186:The bucket's default encryption (SSE-S3) applies: CloudFront reads the objects without a KMS key policy.
  bucket        = aws_s3_bucket.site.id
  key           = local.runtime_config_key
  content       = jsonencode(var.runtime_config)
  content_type  = "application/json"
  cache_control = "no-cache"
  tags          = var.tags

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.site]

  lifecycle {
    precondition {
      condition     = fileexists("${var.site_dir}/index.html")
      error_message = "The website is not built: ${var.site_dir}/index.html is missing (run its build target first)."
    }
  }
}
