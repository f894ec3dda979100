# An example root module deploying the {{ title }} website ({{ project_dir }}): its build on
# S3 and CloudFront, and a runtime-config.json{% if apis %} with the URLs of the APIs it is connected to
# ({% for entry in apis %}{{ entry.api.class_name }}{% if not loop.last %}, {% endif %}{% endfor %}){% if cognito %} and the Cognito ids{% endif %}. The APIs accept browser calls from the website's
# origin only (CORS).
{% else %}. No API is connected yet: `fastgen generate connection --source {{ project_name }}
# --target <api>` connects one, and adds it here.
{% endif %}
#
#   pnpm nx run common-terraform:build   # builds the website{% if apis %} and the APIs{% endif %}.
#   terraform init && terraform apply
#
# Created by fastgen; yours to edit (or copy into your own root module).
{% if apis %}

module "assets" {
  source = "../../src/core/asset-bucket"

  bucket_prefix = "${trimsuffix(substr("{{ kebab_name | hcl_string }}", 0, 28), "-")}-assets-"
}
{% endif %}
{% if any_rest %}

# REST API stages write logs through the region-wide API Gateway account setting. Keep exactly
# one of these per account and region (remove it if another configuration manages it).
module "api_gateway_account" {
  source = "../../src/core/api-gateway-account"
}
{% endif %}
{% if cognito %}

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

data "aws_caller_identity" "current" {}

# The hosted sign-in pages the website sends its users to.
resource "aws_cognito_user_pool_domain" "sign_in" {
  domain       = coalesce(var.sign_in_domain_prefix, "${trimsuffix(substr("{{ kebab_name | hcl_string }}", 0, 40), "-")}-${data.aws_caller_identity.current.account_id}")
  user_pool_id = aws_cognito_user_pool.users.id
}

# A public client (no secret): the authorization code grant, with PKCE from the website; never
# the implicit grant, which puts tokens in the redirect URL. Cognito may send users back to the
# website and to callback_urls.
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
  callback_urls                        = concat(["${module.website.url}/"], var.callback_urls)
  logout_urls                          = concat(["${module.website.url}/"], var.logout_urls)
}
{% endif %}
{% for entry in apis %}

# {{ entry.api.class_name }} ({{ entry.api.project_dir }}): browsers may call it from the website only (and from allowed_origins).
{% if entry.api.auth == 'IAM' %}
# IAM auth: callers sign their requests (SigV4) with credentials allowed by invoke_policy_json,
# as the website's signed-in users do with the identity pool's credentials (below).
{% endif %}
module "{{ entry.module }}" {
  source = "../../src/app/apis/{{ entry.api.kebab_name | hcl_string }}"

  asset_bucket_name    = module.assets.bucket_name
  cors_allowed_origins = concat([module.website.url], var.allowed_origins)
{% if entry.api.auth == 'Cognito' %}

{% if entry.api.is_rest %}
  cognito_user_pool_arns = [aws_cognito_user_pool.users.arn]
{% else %}
  jwt_issuer   = "https://${aws_cognito_user_pool.users.endpoint}"
  jwt_audience = [aws_cognito_user_pool_client.web.id]
{% endif %}
{% endif %}
{% if entry.api.is_rest %}

  depends_on = [module.api_gateway_account]
{% endif %}
}
{% endfor %}
{% if identity_pool %}

# Signed-in users get temporary AWS credentials from this identity pool (Cognito Identity's
# GetId and GetCredentialsForIdentity, with their ID token from the user pool; no
# unauthenticated identities): those of the authenticated role below, which may invoke the
# APIs with IAM auth and nothing else. The website signs its requests to them (SigV4).
resource "aws_cognito_identity_pool" "users" {
  identity_pool_name               = "{{ class_name | hcl_string }}-users"
  allow_unauthenticated_identities = false
  allow_classic_flow               = false

  cognito_identity_providers {
    client_id               = aws_cognito_user_pool_client.web.id
    provider_name           = aws_cognito_user_pool.users.endpoint
    server_side_token_check = true
  }
}

# Only this pool's identities, signed in (not guests), may assume the role.
data "aws_iam_policy_document" "authenticated_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["cognito-identity.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "cognito-identity.amazonaws.com:aud"
      values   = [aws_cognito_identity_pool.users.id]
    }

    condition {
      test     = "ForAnyValue:StringLike"
      variable = "cognito-identity.amazonaws.com:amr"
      values   = ["authenticated"]
    }
  }
}

resource "aws_iam_role" "authenticated" {
  name_prefix        = "${trimsuffix(substr("{{ kebab_name | hcl_string }}", 0, 24), "-")}-signed-in-"
  description        = "Signed-in users of the {{ title | hcl_string }} website: invoke its APIs with IAM auth."
  assume_role_policy = data.aws_iam_policy_document.authenticated_trust.json
}
{% for entry in apis if entry.api.auth == 'IAM' %}

# {{ entry.api.class_name }}: execute-api:Invoke on its operations only (its module's invoke_policy_json).
resource "aws_iam_role_policy" "invoke_{{ entry.api.snake_name }}" {
  name   = "Invoke{{ entry.api.class_name }}"
  role   = aws_iam_role.authenticated.id
  policy = module.{{ entry.module }}.invoke_policy_json
}
{% endfor %}

resource "aws_cognito_identity_pool_roles_attachment" "users" {
  identity_pool_id = aws_cognito_identity_pool.users.id

  roles = {
    authenticated = aws_iam_role.authenticated.arn
  }
}
{% endif %}

{% if cognito %}
locals {
  sign_in_url = "https://${aws_cognito_user_pool_domain.sign_in.domain}.auth.${var.region}.amazoncognito.com"
}

{% endif %}
module "website" {
  source = "../../src/app/static-websites/{{ kebab_name | hcl_string }}"

  runtime_config = {
    apis = {
{% for entry in apis %}
      {{ entry.api.class_name }}{{ entry.pad }} = module.{{ entry.module }}.url
{% endfor %}
    }
{% if cognito %}
    cognito = {
      region           = var.region
      userPoolId       = aws_cognito_user_pool.users.id
      userPoolClientId = aws_cognito_user_pool_client.web.id
{% if identity_pool %}
      identityPoolId   = aws_cognito_identity_pool.users.id
{% endif %}
      domain           = local.sign_in_url
    }
{% endif %}
  }

  # What the site may call besides its own origin (the Content-Security-Policy's connect-src).
  connect_sources = [
{% for entry in apis if entry.api.is_rest %}
    "https://${module.{{ entry.module }}.api_id}.execute-api.${var.region}.amazonaws.com",
{% endfor %}
{% if http_apis %}
    # An HTTP API holds its CORS origins (this site's domain): naming the API here too would
    # make it and the distribution depend on each other, so any HTTP API of the region.
    "https://*.execute-api.${var.region}.amazonaws.com",
{% endif %}
{% if cognito %}
    "https://cognito-idp.${var.region}.amazonaws.com",
    local.sign_in_url,
{% endif %}
{% if identity_pool %}
    "https://cognito-identity.${var.region}.amazonaws.com",
{% endif %}
  ]
}
