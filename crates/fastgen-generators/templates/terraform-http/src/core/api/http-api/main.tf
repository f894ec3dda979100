# An HTTP API whose routes are Lambda proxy integrations (payload format 2.0), with the
# API's own CORS configuration, a throttled $default stage with JSON access logs (kept when
# the module is destroyed), alarms on the 5xx rate and p99 latency, and IAM, Cognito (JWT),
# Lambda (REQUEST, simple responses) or no auth.

locals {
  routes = {
    for key, route in var.routes : key => merge(route, {
      method = upper(route.method)
      # The route ARN API Gateway invokes with: path parameters become wildcards.
      arn_path = replace(route.path, "/\\{[^}]*\\}/", "*")
    })
  }

  # Routes of an API with auth (auth_type NONE creates `public` routes instead).
  protected_authorization_type = lookup({
    IAM     = "AWS_IAM"
    COGNITO = "JWT"
    CUSTOM  = "CUSTOM"
  }, var.auth_type, null)

  authorizer_id = (
    var.auth_type == "COGNITO" ? aws_apigatewayv2_authorizer.jwt[0].id :
    var.auth_type == "CUSTOM" ? aws_apigatewayv2_authorizer.lambda[0].id : null
  )
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = var.description
  protocol_type = "HTTP"
  tags          = var.tags

  cors_configuration {
    allow_origins  = var.cors_allowed_origins
    allow_headers  = ["content-type", "authorization", "x-amz-date", "x-amz-security-token", "x-api-key", "x-correlation-id"]
    allow_methods  = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]
    expose_headers = ["x-correlation-id"]
    max_age        = 3600
  }
}

# --- Auth ----------------------------------------------------------------------------------

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = var.auth_type == "COGNITO" ? 1 : 0

  name             = "cognito"
  api_id           = aws_apigatewayv2_api.this.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }

  lifecycle {
    precondition {
      condition     = var.jwt_issuer != null && length(var.jwt_audience) > 0
      error_message = "auth_type COGNITO needs jwt_issuer and jwt_audience."
    }
  }
}

resource "aws_apigatewayv2_authorizer" "lambda" {
  count = var.auth_type == "CUSTOM" ? 1 : 0

  name                              = "lambda"
  api_id                            = aws_apigatewayv2_api.this.id
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = var.lambda_authorizer.invoke_arn
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
  identity_sources                  = ["$request.header.Authorization"]
  authorizer_result_ttl_in_seconds  = var.authorizer_result_ttl_seconds

  lifecycle {
    precondition {
      condition     = var.lambda_authorizer != null
      error_message = "auth_type CUSTOM needs lambda_authorizer."
    }
  }
}

resource "aws_lambda_permission" "authorizer" {
  count = var.auth_type == "CUSTOM" ? 1 : 0

  statement_id  = "apigateway-authorizer-${aws_apigatewayv2_api.this.id}"
  action        = "lambda:InvokeFunction"
  function_name = var.lambda_authorizer.function_name
  qualifier     = var.lambda_authorizer.qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/authorizers/${aws_apigatewayv2_authorizer.lambda[0].id}"
}

# --- Integrations and routes ---------------------------------------------------------------

resource "aws_apigatewayv2_integration" "lambda" {
  for_each = local.routes

  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = each.value.invoke_arn
  payload_format_version = "2.0"
  # The route's own timeout (its function's plus a margin), else 30 s, the HTTP API maximum.
  timeout_milliseconds = coalesce(each.value.timeout_ms, 30000)
}

resource "aws_apigatewayv2_route" "protected" {
  for_each = var.auth_type == "NONE" ? {} : local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "${each.value.method} ${each.value.path}"
  target             = "integrations/${aws_apigatewayv2_integration.lambda[each.key].id}"
  authorization_type = local.protected_authorization_type
  authorizer_id      = local.authorizer_id
}

resource "aws_apigatewayv2_route" "public" {
  #checkov:skip=CKV_AWS_309:Public on purpose: the API was generated with auth None.
  for_each = var.auth_type == "NONE" ? local.routes : {}

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "${each.value.method} ${each.value.path}"
  target             = "integrations/${aws_apigatewayv2_integration.lambda[each.key].id}"
  authorization_type = "NONE"
}

# One permission per route, scoped to the route's ARN.
resource "aws_lambda_permission" "route" {
  for_each = local.routes

  statement_id  = substr("apigateway-${replace(each.key, "/[^A-Za-z0-9_-]/", "-")}", 0, 100)
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  qualifier     = each.value.qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/${each.value.method == "ANY" ? "*" : each.value.method}${each.value.arn_path}"
}

# --- Stage and logs ------------------------------------------------------------------------

# Kept when the module is destroyed (skip_destroy, retain_logs); the name carries the API's
# id, so a re-created API writes to a new group.
resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${aws_apigatewayv2_api.this.id}/default/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  skip_destroy      = var.retain_logs
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  # Every route: API Gateway answers 429 beyond these.
  default_route_settings {
    throttling_rate_limit  = var.throttle.rate_limit
    throttling_burst_limit = var.throttle.burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      routeKey           = "$context.routeKey"
      path               = "$context.path"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      authorizerError    = "$context.authorizer.error"
      userAgent          = "$context.identity.userAgent"
    })
  }
}

# --- Alarms --------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "server_error_rate" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-${aws_apigatewayv2_api.this.id}-5xx-rate"
  alarm_description   = "${var.name}: at least ${var.alarms.server_error_rate * 100}% of requests answered with a 5xx, in 3 of 5 minutes."
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.alarms.server_error_rate
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  tags                = var.tags

  metric_query {
    id          = "rate"
    expression  = "errors / requests"
    label       = "5xx rate"
    return_data = true
  }

  metric_query {
    id = "errors"

    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "5xx"
      dimensions  = { ApiId = aws_apigatewayv2_api.this.id }
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = aws_apigatewayv2_api.this.id }
      stat        = "Sum"
      period      = 60
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-${aws_apigatewayv2_api.this.id}-latency-p99"
  alarm_description   = "${var.name}: p99 latency at least ${var.alarms.latency_p99_ms} ms for 15 minutes."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = { ApiId = aws_apigatewayv2_api.this.id }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.alarms.latency_p99_ms
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  tags                = var.tags
}

data "aws_iam_policy_document" "invoke" {
  statement {
    sid       = "InvokeApi"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_apigatewayv2_api.this.execution_arn}/*"]
  }
}
