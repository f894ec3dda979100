output "url" {
  description = "URL of the {{ title | hcl_string }} website."
  value       = module.website.url
}

output "distribution_id" {
  description = "ID of the CloudFront distribution."
  value       = module.website.distribution_id
}

output "bucket_name" {
  description = "The private bucket holding the site."
  value       = module.website.bucket_name
}
{% for entry in apis %}

output "{{ entry.api.snake_name }}_url" {
  description = "URL of the {{ entry.api.class_name | hcl_string }} API."
  value       = module.{{ entry.module }}.url
}
{% if entry.api.auth == 'IAM' %}

output "{{ entry.api.snake_name }}_invoke_policy_json" {
  description = "IAM policy to attach to the callers of the {{ entry.api.class_name | hcl_string }} API."
  value       = module.{{ entry.module }}.invoke_policy_json
}
{% endif %}
{% endfor %}
{% if cognito %}

output "user_pool_id" {
  description = "The Cognito user pool of the website's users."
  value       = aws_cognito_user_pool.users.id
}

output "user_pool_client_id" {
  description = "The website's user pool client."
  value       = aws_cognito_user_pool_client.web.id
}

output "sign_in_url" {
  description = "The user pool's hosted sign-in domain."
  value       = local.sign_in_url
}
{% if identity_pool %}

output "identity_pool_id" {
  description = "The identity pool giving signed-in users AWS credentials for the APIs with IAM auth."
  value       = aws_cognito_identity_pool.users.id
}

output "authenticated_role_name" {
  description = "The identity pool's role for signed-in users (attach policies here)."
  value       = aws_iam_role.authenticated.name
}
{% endif %}
{% endif %}
