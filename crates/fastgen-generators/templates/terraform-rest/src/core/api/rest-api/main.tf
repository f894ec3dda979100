# A regional REST API whose methods are Lambda proxy integrations in STREAM transfer mode
# (the response-streaming invocation URI), with CORS preflight methods, JSON access logs
# (kept when the module is destroyed), X-Ray and throttling on the stage, alarms on the 5xx
# rate and p99 latency, and IAM, Cognito, Lambda (TOKEN) or no auth.
#
# Resources: API Gateway needs one resource per path segment, each created under its
# parent. Terraform cannot point a for_each instance at a sibling of the same block, so
# the tree is built level by level: every prefix of every route path is computed in
# locals, grouped by depth, and `level<N>` creates the resources of depth N under
# `level<N-1>`. Paths can have up to 8 segments (a variable validation says so).

locals {
  max_depth = 8

  cors_allow_origin  = var.cors_allowed_origins[0]
  cors_allow_headers = "Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token,X-Api-Key,X-Correlation-Id"
  cors_allow_methods = "OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD"

  routes = {
    for key, route in var.routes : key => merge(route, {
      method = upper(route.method)
      # The method ARN API Gateway invokes with: path parameters become wildcards.
      arn_path = replace(route.path, "/\\{[^}]*\\}/", "*")
    })
  }

  route_paths = distinct([for route in values(local.routes) : route.path])

  # "/a/{b}/c" -> ["/a", "/a/{b}", "/a/{b}/c"]
  resource_paths = distinct(flatten([
    for path in local.route_paths : [
      for depth in range(1, length(split("/", path))) :
      join("/", slice(split("/", path), 0, depth + 1))
    ] if path != "/"
  ]))

  levels = {
    for depth in range(1, local.max_depth + 1) : depth => {
      for path in local.resource_paths : path => {
        parent    = depth == 1 ? "/" : join("/", slice(split("/", path), 0, depth))
        path_part = split("/", path)[depth]
      } if length(split("/", path)) - 1 == depth
    }
  }

  resource_ids = merge(
    { "/" = aws_api_gateway_rest_api.this.root_resource_id },
    { for path, resource in aws_api_gateway_resource.level1 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level2 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level3 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level4 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level5 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level6 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level7 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level8 : path => resource.id },
  )

  # Methods of an API with auth (auth_type NONE creates `public` methods instead).
  protected_authorization = lookup({
    IAM     = "AWS_IAM"
    COGNITO = "COGNITO_USER_POOLS"
    CUSTOM  = "CUSTOM"
  }, var.auth_type, null)

  authorizer_id = (
    var.auth_type == "COGNITO" ? aws_api_gateway_authorizer.cognito[0].id :
    var.auth_type == "CUSTOM" ? aws_api_gateway_authorizer.lambda[0].id : null
  )

  # Preflight: an OPTIONS mock on every resource that has methods but no OPTIONS of its own.
  preflight_paths = toset([
    for path in local.route_paths : path
    if !contains([for route in values(local.routes) : route.method if route.path == path], "OPTIONS")
  ])

  # Several origins: answer with the caller's origin when it is one of them.
  preflight_template = length(var.cors_allowed_origins) < 2 ? "" : join("\n", [
    "#set($origin = $input.params().header.get(\"Origin\"))",
    "#if($origin == \"\")#set($origin = $input.params().header.get(\"origin\"))#end",
    "#if(${join(" || ", [for origin in var.cors_allowed_origins : "$origin == \"${origin}\""])})",
    "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)",
    "#end",
  ])

  permissions = merge([
    for key, route in local.routes : {
      for action in var.invoke_permission_actions : "${key}/${action}" => merge(route, {
        action       = action
        statement_id = substr("${replace(action, ":", "-")}-${replace(key, "/[^A-Za-z0-9_-]/", "-")}", 0, 100)
      })
    }
  ]...)
}

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = var.description
  tags        = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_resource" "level1" {
  for_each = local.levels[1]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level2" {
  for_each = local.levels[2]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level1[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level3" {
  for_each = local.levels[3]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level2[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level4" {
  for_each = local.levels[4]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level3[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level5" {
  for_each = local.levels[5]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level4[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level6" {
  for_each = local.levels[6]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level5[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level7" {
  for_each = local.levels[7]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level6[each.value.parent].id
  path_part   = each.value.path_part
}

resource "aws_api_gateway_resource" "level8" {
  for_each = local.levels[8]

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level7[each.value.parent].id
  path_part   = each.value.path_part
}

# --- Auth ----------------------------------------------------------------------------------

resource "aws_api_gateway_authorizer" "cognito" {
  count = var.auth_type == "COGNITO" ? 1 : 0

  name            = "cognito"
  rest_api_id     = aws_api_gateway_rest_api.this.id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = var.cognito_user_pool_arns
  identity_source = "method.request.header.Authorization"

  lifecycle {
    precondition {
      condition     = length(var.cognito_user_pool_arns) > 0
      error_message = "auth_type COGNITO needs cognito_user_pool_arns."
    }
  }
}

resource "aws_api_gateway_authorizer" "lambda" {
  count = var.auth_type == "CUSTOM" ? 1 : 0

  name                             = "lambda"
  rest_api_id                      = aws_api_gateway_rest_api.this.id
  type                             = "TOKEN"
  authorizer_uri                   = var.lambda_authorizer.invoke_arn
  identity_source                  = "method.request.header.Authorization"
  authorizer_result_ttl_in_seconds = var.authorizer_result_ttl_seconds

  lifecycle {
    precondition {
      condition     = var.lambda_authorizer != null
      error_message = "auth_type CUSTOM needs lambda_authorizer."
    }
  }
}

resource "aws_lambda_permission" "authorizer" {
  count = var.auth_type == "CUSTOM" ? 1 : 0

  statement_id  = "apigateway-authorizer-${aws_api_gateway_rest_api.this.id}"
  action        = "lambda:InvokeFunction"
  function_name = var.lambda_authorizer.function_name
  qualifier     = var.lambda_authorizer.qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/authorizers/${aws_api_gateway_authorizer.lambda[0].id}"
}

# --- Methods and streaming Lambda integrations ---------------------------------------------

resource "aws_api_gateway_method" "protected" {
  #checkov:skip=CKV2_AWS_53:Proxy integration: the FastAPI app validates every request against its OpenAPI models.
  for_each = var.auth_type == "NONE" ? {} : local.routes

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = local.resource_ids[each.value.path]
  http_method   = each.value.method
  authorization = local.protected_authorization
  authorizer_id = local.authorizer_id
}

resource "aws_api_gateway_method" "public" {
  #checkov:skip=CKV_AWS_59:Public on purpose: the API was generated with auth None.
  #checkov:skip=CKV2_AWS_53:Proxy integration: the FastAPI app validates every request against its OpenAPI models.
  for_each = var.auth_type == "NONE" ? local.routes : {}

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = local.resource_ids[each.value.path]
  http_method   = each.value.method
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "lambda" {
  for_each = local.routes

  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = local.resource_ids[each.value.path]
  http_method             = each.value.method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = each.value.invoke_uri
  response_transfer_mode  = "STREAM"
  # The route's own timeout (its function's plus a margin), else the module's, else 29 s.
  timeout_milliseconds = coalesce(each.value.timeout_ms, var.integration_timeout_ms, 29000)

  depends_on = [
    aws_api_gateway_method.protected,
    aws_api_gateway_method.public,
  ]
}

# One permission per route and action, scoped to the method's ARN (no test-invoke stage).
resource "aws_lambda_permission" "route" {
  for_each = local.permissions

  statement_id  = each.value.statement_id
  action        = each.value.action
  function_name = each.value.function_name
  qualifier     = each.value.qualifier
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/${each.value.method == "ANY" ? "*" : each.value.method}${each.value.arn_path}"
}

# --- CORS ----------------------------------------------------------------------------------

resource "aws_api_gateway_method" "preflight" {
  #checkov:skip=CKV2_AWS_53:The preflight takes no input: a mock integration answers it.
  for_each = local.preflight_paths

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = local.resource_ids[each.value]
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "preflight" {
  for_each = local.preflight_paths

  rest_api_id          = aws_api_gateway_rest_api.this.id
  resource_id          = local.resource_ids[each.value]
  http_method          = aws_api_gateway_method.preflight[each.value].http_method
  type                 = "MOCK"
  passthrough_behavior = "NEVER"

  request_templates = {
    "application/json" = jsonencode({ statusCode = 204 })
  }
}

resource "aws_api_gateway_method_response" "preflight" {
  for_each = local.preflight_paths

  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = local.resource_ids[each.value]
  http_method = aws_api_gateway_method.preflight[each.value].http_method
  status_code = "204"

  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"  = true
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Vary"                         = true
  }
}

resource "aws_api_gateway_integration_response" "preflight" {
  for_each = local.preflight_paths

  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = local.resource_ids[each.value]
  http_method = aws_api_gateway_method.preflight[each.value].http_method
  status_code = aws_api_gateway_method_response.preflight[each.value].status_code

  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"  = "'${local.cors_allow_origin}'"
    "method.response.header.Access-Control-Allow-Headers" = "'${local.cors_allow_headers}'"
    "method.response.header.Access-Control-Allow-Methods" = "'${local.cors_allow_methods}'"
    "method.response.header.Vary"                         = "'Origin'"
  }

  response_templates = {
    "application/json" = local.preflight_template
  }

  depends_on = [aws_api_gateway_integration.preflight]
}

# Gateway errors (auth failures, throttling) carry CORS headers too, so browsers can read them.
resource "aws_api_gateway_gateway_response" "cors" {
  for_each = toset(["DEFAULT_4XX", "DEFAULT_5XX"])

  rest_api_id   = aws_api_gateway_rest_api.this.id
  response_type = each.value

  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"  = "'${local.cors_allow_origin}'"
    "gatewayresponse.header.Access-Control-Allow-Headers" = "'${local.cors_allow_headers}'"
    "gatewayresponse.header.Access-Control-Allow-Methods" = "'${local.cors_allow_methods}'"
  }
}

# --- Deployment, stage and logs ------------------------------------------------------------

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  description = "${var.name} (fastgen)"

  triggers = {
    redeployment = sha1(jsonencode([
      local.routes,
      var.auth_type,
      local.authorizer_id,
      var.cors_allowed_origins,
      local.resource_ids,
      [for method in aws_api_gateway_method.protected : method.id],
      [for method in aws_api_gateway_method.public : method.id],
      [for integration in aws_api_gateway_integration.lambda : integration.id],
      [for response in aws_api_gateway_integration_response.preflight : response.id],
      [for response in aws_api_gateway_gateway_response.cors : response.id],
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [
    aws_api_gateway_integration.lambda,
    aws_api_gateway_integration.preflight,
    aws_api_gateway_integration_response.preflight,
  ]
}

# Both log groups are kept when the module is destroyed (skip_destroy, retain_logs); their
# names carry the API's id, so a re-created API writes to new groups.
resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${aws_api_gateway_rest_api.this.id}/${var.stage_name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  skip_destroy      = var.retain_logs
  tags              = var.tags
}

# The group API Gateway writes execution logs (ERROR level) to, created here to set its retention.
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.this.id}/${var.stage_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  skip_destroy      = var.retain_logs
  tags              = var.tags
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120:Responses are per caller and often streamed; a stage cache would serve stale or foreign data (and streaming does not support it).
  #checkov:skip=CKV2_AWS_29:A web ACL is an account-level choice with its own cost; associate one with aws_wafv2_web_acl_association on stage_arn.
  #checkov:skip=CKV2_AWS_51:Client certificates authenticate API Gateway to HTTP backends; the backends here are Lambda functions invoked through IAM.
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true
  tags                 = var.tags

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      extendedRequestId  = "$context.extendedRequestId"
      ip                 = "$context.identity.sourceIp"
      caller             = "$context.identity.caller"
      user               = "$context.identity.user"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      resourcePath       = "$context.resourcePath"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      authorizerError    = "$context.authorizer.error"
      xrayTraceId        = "$context.xrayTraceId"
      userAgent          = "$context.identity.userAgent"
    })
  }

  depends_on = [aws_cloudwatch_log_group.execution]
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225:Responses are per caller and often streamed; a cache would serve stale or foreign data (and streaming does not support it).
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled      = true
    logging_level        = "ERROR"
    data_trace_enabled   = false
    caching_enabled      = false
    cache_data_encrypted = true
    # Every method of the stage: API Gateway answers 429 beyond these.
    throttling_rate_limit  = var.throttle.rate_limit
    throttling_burst_limit = var.throttle.burst_limit
  }
}

# --- Alarms --------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "server_error_rate" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-${aws_api_gateway_rest_api.this.id}-${var.stage_name}-5xx-rate"
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
      metric_name = "5XXError"
      dimensions  = { ApiName = var.name, Stage = var.stage_name }
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiName = var.name, Stage = var.stage_name }
      stat        = "Sum"
      period      = 60
    }
  }

  depends_on = [aws_api_gateway_stage.this]
}

resource "aws_cloudwatch_metric_alarm" "latency_p99" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-${aws_api_gateway_rest_api.this.id}-${var.stage_name}-latency-p99"
  alarm_description   = "${var.name}: p99 latency at least ${var.alarms.latency_p99_ms} ms for 15 minutes."
  namespace           = "AWS/ApiGateway"
  metric_name         = "Latency"
  dimensions          = { ApiName = var.name, Stage = var.stage_name }
  extended_statistic  = "p99"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.alarms.latency_p99_ms
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  tags                = var.tags

  depends_on = [aws_api_gateway_stage.this]
}

data "aws_iam_policy_document" "invoke" {
  statement {
    sid       = "InvokeApi"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/*/*"]
  }
}
