output "url" {
  description = "The site's origin, https://<first alias or the distribution's domain> (no trailing slash): what the APIs' CORS allows."
  value       = local.url
}

output "domain_name" {
  description = "The distribution's domain name (<id>.cloudfront.net)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_id" {
  description = "ID of the CloudFront distribution (to invalidate its caches)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the CloudFront distribution."
  value       = aws_cloudfront_distribution.this.arn
}

output "bucket_name" {
  description = "The private bucket holding the site."
  value       = aws_s3_bucket.site.id
}

output "log_bucket_name" {
  description = "The bucket receiving the access logs (cloudfront/ and s3/)."
  value       = aws_s3_bucket.logs.id
}

output "response_headers_policy_id" {
  description = "ID of the security response headers policy."
  value       = aws_cloudfront_response_headers_policy.security.id
}
