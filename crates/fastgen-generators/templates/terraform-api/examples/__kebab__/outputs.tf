output "url" {
  description = "URL of the {{ class_name | hcl_string }} API."
  value       = module.api.url
}

output "api_id" {
  description = "ID of the API."
  value       = module.api.api_id
}

output "function_names" {
  description = "The Lambda functions behind the API."
  value       = module.api.function_names
}

output "asset_bucket_name" {
  description = "Bucket holding the zipped bundle."
  value       = module.assets.bucket_name
}
{% if auth == 'IAM' %}

output "invoke_policy_json" {
  description = "IAM policy to attach to the callers of the API."
  value       = module.api.invoke_policy_json
}
{% elif auth == 'Cognito' %}

output "user_pool_id" {
  description = "The Cognito user pool whose tokens the API accepts."
  value       = aws_cognito_user_pool.users.id
}

output "user_pool_client_id" {
  description = "The user pool client (the token audience)."
  value       = aws_cognito_user_pool_client.web.id
}
{% endif %}
