output "url" {
  description = "The site's origin (https://..., no trailing slash): what the APIs' CORS allows."
  value       = module.website.url
}

output "domain_name" {
  description = "The distribution's domain name."
  value       = module.website.domain_name
}

output "distribution_id" {
  description = "ID of the CloudFront distribution."
  value       = module.website.distribution_id
}

output "bucket_name" {
  description = "The private bucket holding the site."
  value       = module.website.bucket_name
}

output "log_bucket_name" {
  description = "The bucket receiving the access logs."
  value       = module.website.log_bucket_name
}
