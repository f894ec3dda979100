# An example root module deploying the {{ class_name }} API: an asset bucket for the zipped
# bundle{% if is_rest %}, the region's API Gateway logging role{% endif %}{% if auth == 'Cognito' %}, a Cognito user pool{% endif %} and the API module.
#
#   pnpm nx run-many -t bundle          # builds {{ dist_dir }}/bundle-{{ architecture }}
{% if integration_pattern == 'isolated' %}
#   pnpm nx run common-terraform:build  # writes generated/{{ kebab_name }}/operations.json
{% endif %}
#   terraform init && terraform apply
#
# Created by fastgen; yours to edit (or copy into your own root module).

module "assets" {
  source = "../../src/core/asset-bucket"

  bucket_prefix = "${trimsuffix(substr("{{ kebab_name | hcl_string }}", 0, 28), "-")}-assets-"
}
{% if is_rest %}

# REST API stages write logs through the region-wide API Gateway account setting. Keep exactly
# one of these per account and region (remove it if another configuration manages it).
module "api_gateway_account" {
  source = "../../src/core/api-gateway-account"
}
{% endif %}
{% if auth == 'Cognito' %}

resource "aws_cognito_user_pool" "users" {
  name                     = "{{ class_name | hcl_string }}-users"
  auto_verified_attributes = ["email"]
  username_attributes      = ["email"]
  deletion_protection      = "ACTIVE"

  # A second factor for every sign-in (ON) or for the users who set one up (OPTIONAL): a TOTP
  # authenticator app, no SMS (which needs an SNS role and costs per message).
  mfa_configuration = var.mfa_configuration

  software_token_mfa_configuration {
    enabled = true
  }

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = true
  }
}

# A public client (no secret): the authorization code grant, with PKCE from the app; never
# the implicit grant, which puts tokens in the redirect URL.
resource "aws_cognito_user_pool_client" "web" {
  name                          = "{{ class_name | hcl_string }}-web"
  user_pool_id                  = aws_cognito_user_pool.users.id
  generate_secret               = false
  prevent_user_existence_errors = "ENABLED"
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email", "profile"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = var.callback_urls
  logout_urls                          = var.logout_urls
}
{% endif %}

module "api" {
  source = "../../src/app/apis/{{ kebab_name | hcl_string }}"

  asset_bucket_name    = module.assets.bucket_name
  cors_allowed_origins = var.cors_allowed_origins
{% if auth == 'Cognito' %}

{% if is_rest %}
  cognito_user_pool_arns = [aws_cognito_user_pool.users.arn]
{% else %}
  jwt_issuer   = "https://${aws_cognito_user_pool.users.endpoint}"
  jwt_audience = [aws_cognito_user_pool_client.web.id]
{% endif %}
{% endif %}
{% if is_rest %}

  depends_on = [module.api_gateway_account]
{% endif %}
}
