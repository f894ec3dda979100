# The {{ class_name }} API ({{ project_dir }}): {% if is_rest %}an API Gateway REST API (streaming Lambda proxy integrations){% else %}an API Gateway HTTP API (payload format 2.0){% endif %} with
# {% if integration_pattern == 'shared' %}one router function behind a greedy proxy route{% else %}one Lambda function per operation{% endif %}, auth {{ auth }}.
#
{% if integration_pattern == 'isolated' %}
# The operations come from src/generated/{{ kebab_name }}/operations.json, written from the
# API's OpenAPI document by the `generate:{{ kebab_name }}-metadata` target.
{% else %}
# Every request reaches the router function, which routes it in the FastAPI app.
{% endif %}
#
# Created by fastgen; yours to edit.

locals {
  service_name   = "{{ class_name | hcl_string }}"
  architecture   = "{{ architecture }}"
  runtime        = "python{{ lambda_python }}"
  workspace_root = coalesce(var.workspace_root, "${path.module}/../../../../../../..")
  bundle_path    = startswith(var.bundle_dir, "/") ? var.bundle_dir : "${local.workspace_root}/${var.bundle_dir}"
  generated_dir  = "${path.module}/../../../generated/{{ kebab_name | hcl_string }}"
{% if integration_pattern == 'isolated' %}

  # {"getItem": {"path": "/items/{item_id}", "method": "GET", "streaming": false}, ...}
  operations = jsondecode(file("${local.generated_dir}/operations.json"))
{% endif %}

  # Function names are at most 64 characters: long ones keep a hash of the full name.
  function_names = {
{% if integration_pattern == 'isolated' %}
    for name in keys(local.operations) : name => (
      length("${var.name_prefix}-${name}") <= 64 ? "${var.name_prefix}-${name}" :
      "${substr("${var.name_prefix}-${name}", 0, 55)}-${substr(sha1(name), 0, 8)}"
    )
{% else %}
    router = "${var.name_prefix}-router"
{% endif %}
  }
{% if integration_pattern == 'shared' %}

  # The router serves every path: the root and a greedy proxy below it.
  router_paths = {
    root  = "/"
    proxy = "/{proxy+}"
  }
{% endif %}

  # Each integration waits 1 s longer than its function may run, so the function always
  # stops first{% if not is_rest %} (HTTP API integrations wait at most 30 s){% endif %}.
  function_timeouts = {
{% if integration_pattern == 'isolated' %}
    for name in keys(local.operations) : name => coalesce(try(var.operation_options[name].timeout, null), var.timeout)
{% else %}
    router = var.timeout
{% endif %}
  }
  integration_timeouts_ms = {
{% if is_rest %}
    for name, timeout in local.function_timeouts : name => coalesce(var.integration_timeout_ms, (timeout + 1) * 1000)
{% else %}
    for name, timeout in local.function_timeouts : name => min((timeout + 1) * 1000, 30000)
{% endif %}
  }

  function_alarms = {
    enabled             = var.alarms.enabled
    errors_threshold    = var.alarms.function_errors
    throttles_threshold = var.alarms.function_throttles
    actions             = var.alarms.actions
  }
}

# --- Code: the bundle, zipped and uploaded under its content hash ---------------------------

data "archive_file" "bundle" {
  type             = "zip"
  source_dir       = local.bundle_path
  output_path      = "${local.generated_dir}/bundle-${local.architecture}.zip"
  output_file_mode = "0755"

  lifecycle {
    precondition {
      condition     = fileexists("${local.bundle_path}/run.sh")
      error_message = "The Lambda bundle ${local.bundle_path} does not exist: build it first (the bundle target of {{ project_dir | hcl_string }})."
    }
  }
}

resource "aws_s3_object" "bundle" {
  bucket      = var.asset_bucket_name
  key         = "${var.asset_key_prefix}bundle-${local.architecture}-${data.archive_file.bundle.output_sha256}.zip"
  source      = data.archive_file.bundle.output_path
  source_hash = data.archive_file.bundle.output_base64sha256
  tags        = var.tags
}

# --- Functions -----------------------------------------------------------------------------

module "{% if integration_pattern == 'isolated' %}operation{% else %}router{% endif %}" {
  source = "../../../core/function"
{% if integration_pattern == 'isolated' %}

  for_each = local.operations
{% endif %}

{% if integration_pattern == 'isolated' %}
  function_name                  = local.function_names[each.key]
  description                    = "{{ class_name | hcl_string }} ${each.key}: ${upper(each.value.method)} ${each.value.path}"
{% else %}
  function_name                  = local.function_names.router
  description                    = "{{ class_name | hcl_string }} router: every operation"
{% endif %}
  service_name                   = local.service_name
  handler                        = "run.sh"
  runtime                        = local.runtime
  architecture                   = local.architecture
  s3_bucket                      = aws_s3_object.bundle.bucket
  s3_key                         = aws_s3_object.bundle.key
  source_code_hash               = data.archive_file.bundle.output_base64sha256
  web_adapter                    = true
  invoke_mode                    = "{% if is_rest %}response_stream{% else %}buffered{% endif %}"
  allowed_origins                = var.cors_allowed_origins
{% if integration_pattern == 'isolated' %}
  environment                    = merge(var.environment, try(var.operation_options[each.key].environment, {}))
  memory_size                    = coalesce(try(var.operation_options[each.key].memory_size, null), var.memory_size)
  timeout                        = local.function_timeouts[each.key]
{% else %}
  environment                    = var.environment
  memory_size                    = var.memory_size
  timeout                        = local.function_timeouts.router
{% endif %}
  snap_start                     = var.snap_start
  reserved_concurrent_executions = var.reserved_concurrent_executions
  policy_statements              = var.policy_statements
  vpc_subnet_ids                 = var.vpc_subnet_ids
  vpc_security_group_ids         = var.vpc_security_group_ids
  log_retention_days             = var.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  retain_logs                    = var.retain_logs
  alarms                         = local.function_alarms
  tags                           = var.tags
}
{% if auth == 'Custom' %}

# The Lambda authorizer: `{{ module }}.authorizer.handler` from the same bundle, plain Python
# (no web adapter), {% if is_rest %}a TOKEN authorizer{% else %}a REQUEST authorizer with simple responses{% endif %}.
module "authorizer" {
  source = "../../../core/function"

  function_name                  = "${var.name_prefix}-authorizer"
  description                    = "{{ class_name | hcl_string }} Lambda authorizer"
  service_name                   = local.service_name
  handler                        = "{{ module | hcl_string }}.authorizer.handler"
  runtime                        = local.runtime
  architecture                   = local.architecture
  s3_bucket                      = aws_s3_object.bundle.bucket
  s3_key                         = aws_s3_object.bundle.key
  source_code_hash               = data.archive_file.bundle.output_base64sha256
  web_adapter                    = false
  snap_start                     = false
  environment                    = var.environment
  timeout                        = 10
  memory_size                    = var.memory_size
  reserved_concurrent_executions = var.reserved_concurrent_executions
  vpc_subnet_ids                 = var.vpc_subnet_ids
  vpc_security_group_ids         = var.vpc_security_group_ids
  log_retention_days             = var.log_retention_days
  log_kms_key_arn                = var.log_kms_key_arn
  retain_logs                    = var.retain_logs
  alarms                         = local.function_alarms
  tags                           = var.tags
}
{% endif %}

# --- API -----------------------------------------------------------------------------------

module "api" {
  source = "../../../core/api/{% if is_rest %}rest-api{% else %}http-api{% endif %}"

  name        = local.service_name
  description = "{{ class_name | hcl_string }} (fastgen)"
{% if integration_pattern == 'isolated' %}
  routes = {
    for name, operation in local.operations : name => {
      path          = operation.path
      method        = upper(operation.method)
      function_name = module.operation[name].function_name
      qualifier     = module.operation[name].alias_name
{% if is_rest %}
      invoke_uri    = module.operation[name].streaming_invoke_arn
{% else %}
      invoke_arn    = module.operation[name].invoke_arn
{% endif %}
      timeout_ms    = local.integration_timeouts_ms[name]
    }
  }
{% else %}
  routes = {
    for key, path in local.router_paths : key => {
      path          = path
      method        = "ANY"
      function_name = module.router.function_name
      qualifier     = module.router.alias_name
{% if is_rest %}
      invoke_uri    = module.router.streaming_invoke_arn
{% else %}
      invoke_arn    = module.router.invoke_arn
{% endif %}
      timeout_ms    = local.integration_timeouts_ms.router
    }
  }
{% endif %}

{% if auth == 'IAM' %}
  auth_type = "IAM"
{% elif auth == 'Cognito' %}
{% if is_rest %}
  auth_type              = "COGNITO"
  cognito_user_pool_arns = var.cognito_user_pool_arns
{% else %}
  auth_type    = "COGNITO"
  jwt_issuer   = var.jwt_issuer
  jwt_audience = var.jwt_audience
{% endif %}
{% elif auth == 'Custom' %}
  auth_type = "CUSTOM"
  lambda_authorizer = {
    function_name = module.authorizer.function_name
    qualifier     = module.authorizer.alias_name
    invoke_arn    = module.authorizer.invoke_arn
  }
{% else %}
  auth_type = "NONE"
{% endif %}

  cors_allowed_origins = var.cors_allowed_origins
  log_retention_days   = var.log_retention_days
  log_kms_key_arn      = var.log_kms_key_arn
  retain_logs          = var.retain_logs
  tags                 = var.tags

  throttle = var.throttle
  alarms = {
    enabled           = var.alarms.enabled
    server_error_rate = var.alarms.server_error_rate
    latency_p99_ms    = var.alarms.latency_p99_ms
    actions           = var.alarms.actions
  }
{% if is_rest %}

  stage_name = var.stage_name
{% endif %}
}
