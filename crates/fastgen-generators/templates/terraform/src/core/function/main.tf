# One Lambda function: the API's bundle from S3, X-Ray active, its own log group with
# retention (kept when the module is destroyed), a least-privilege execution role, a
# published version (SnapStart) behind an alias, alarms on its errors and throttles, and -
# for API functions - the Lambda Web Adapter layer and environment.

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  # The Lambda Web Adapter layers are published by this AWS account in every region.
  web_adapter_account = "753240598075"
  web_adapter_layer   = var.architecture == "arm64" ? "LambdaAdapterLayerArm64" : "LambdaAdapterLayerX86"
  web_adapter_layer_arn = join(":", [
    "arn", data.aws_partition.current.partition, "lambda", data.aws_region.current.region,
    local.web_adapter_account, "layer", local.web_adapter_layer, tostring(var.web_adapter_layer_version),
  ])

  # The adapter calls the after-restore path (the runtime re-seeds and runs the API's
  # after_restore callbacks) in each environment SnapStart restores; never otherwise.
  web_adapter_environment = var.web_adapter ? {
    AWS_LAMBDA_EXEC_WRAPPER              = "/opt/bootstrap"
    PORT                                 = tostring(var.app_port)
    AWS_LWA_PORT                         = tostring(var.app_port)
    AWS_LWA_READINESS_CHECK_PATH         = var.readiness_check_path
    AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH = var.after_restore_path
    AWS_LWA_INVOKE_MODE                  = var.invoke_mode
  } : {}

  cors_environment = contains(var.allowed_origins, "*") ? {} : {
    ALLOWED_ORIGINS = join(",", var.allowed_origins)
  }

  environment = merge(
    local.web_adapter_environment,
    {
      POWERTOOLS_SERVICE_NAME      = var.service_name
      POWERTOOLS_METRICS_NAMESPACE = var.service_name
    },
    local.cors_environment,
    var.environment,
  )

  layers = concat(var.web_adapter ? [local.web_adapter_layer_arn] : [], var.layers)
  in_vpc = length(var.vpc_subnet_ids) > 0
}

# skip_destroy: the logs outlive the function (they expire with their retention). The name
# is fixed, so re-creating the function after a destroy needs the old group imported
# (terraform import) or deleted first; set retain_logs = false to delete it with the module.
resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  skip_destroy      = var.retain_logs
  tags              = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name_prefix        = "${substr(var.function_name, 0, 37)}-"
  description        = "Execution role of ${var.function_name}: its own log group and X-Ray."
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "base" {
  name   = "base"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.base.json
}

data "aws_iam_policy_document" "extra" {
  count = length(var.policy_statements) > 0 ? 1 : 0

  dynamic "statement" {
    for_each = var.policy_statements

    content {
      sid       = statement.value.sid
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role_policy" "extra" {
  count = length(var.policy_statements) > 0 ? 1 : 0

  name   = "extra"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.extra[0].json
}

resource "aws_iam_role_policy_attachment" "vpc" {
  count = local.in_vpc ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each = toset(var.managed_policy_arns)

  role       = aws_iam_role.this.name
  policy_arn = each.value
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:API Gateway invokes the function synchronously; a dead-letter queue only applies to asynchronous invocations.
  #checkov:skip=CKV_AWS_272:Code comes from the workspace's own build (a content-addressed S3 object); code signing needs a signing profile the workspace does not have.
  function_name                  = var.function_name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  s3_bucket                      = var.s3_bucket
  s3_key                         = var.s3_key
  source_code_hash               = var.source_code_hash
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  layers                         = local.layers
  kms_key_arn                    = var.kms_key_arn
  publish                        = true
  tags                           = var.tags

  environment {
    variables = local.environment
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dynamic "snap_start" {
    for_each = var.snap_start ? [1] : []

    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []

    content {
      subnet_ids         = var.vpc_subnet_ids
      security_group_ids = var.vpc_security_group_ids
    }
  }

  depends_on = [
    aws_iam_role_policy.base,
    aws_iam_role_policy_attachment.vpc,
  ]
}

# --- Alarms (FunctionName covers every version and alias) ---------------------------------

resource "aws_cloudwatch_metric_alarm" "errors" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.function_name}-errors"
  alarm_description   = "${var.function_name}: at least ${var.alarms.errors_threshold} function errors (crashes, timeouts) in 5 minutes."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alarms.errors_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.function_name}-throttles"
  alarm_description   = "${var.function_name}: at least ${var.alarms.throttles_threshold} throttled invocations (reserved or account concurrency exhausted) in 5 minutes."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.alarms.throttles_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  tags                = var.tags
}

# API Gateway invokes this alias: the latest published version, restored from its
# SnapStart snapshot.
resource "aws_lambda_alias" "this" {
  name             = var.alias_name
  description      = "Latest published version of ${var.function_name}."
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}
