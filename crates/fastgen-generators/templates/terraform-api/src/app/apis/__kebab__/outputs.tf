output "url" {
  description = "URL of the {{ class_name | hcl_string }} API{% if is_rest %} (the stage){% endif %}, with a trailing slash."
  value       = module.api.url
}

output "api_id" {
  description = "ID of the API."
  value       = module.api.api_id
}

output "api_arn" {
  description = "ARN of the API."
  value       = module.api.api_arn
}

output "execution_arn" {
  description = "Execution ARN of the API."
  value       = module.api.execution_arn
}

output "stage_arn" {
  description = "ARN of the stage."
  value       = module.api.stage_arn
}

output "access_log_group_name" {
  description = "Log group of the API's JSON access logs."
  value       = module.api.access_log_group_name
}

output "alarm_arns" {
  description = "ARNs of every alarm: the API's (5xx rate, p99 latency) and each function's (errors, throttles)."
  value = concat(
    module.api.alarm_arns,
{% if integration_pattern == 'isolated' %}
    flatten([for function in module.operation : function.alarm_arns]),
{% else %}
    module.router.alarm_arns,
{% endif %}
{% if auth == 'Custom' %}
    module.authorizer.alarm_arns,
{% endif %}
  )
}
{% if auth == 'IAM' %}

output "invoke_policy_json" {
  description = "IAM policy allowing calls to every operation: attach it to the roles or users that may call the API (SigV4)."
  value       = module.api.invoke_policy_json
}
{% endif %}
{% if integration_pattern == 'isolated' %}

output "operations" {
  description = "The operations this module deployed (operations.json)."
  value       = local.operations
}

output "function_names" {
  description = "Function name of every operation."
  value       = { for name, function in module.operation : name => function.function_name }
}

output "function_arns" {
  description = "Function ARN of every operation."
  value       = { for name, function in module.operation : name => function.function_arn }
}

output "alias_arns" {
  description = "ARN of the alias (the published SnapStart version) API Gateway invokes, per operation."
  value       = { for name, function in module.operation : name => function.alias_arn }
}

output "role_names" {
  description = "Execution role of every operation's function (attach policies here)."
  value       = { for name, function in module.operation : name => function.role_name }
}
{% else %}

output "function_names" {
  description = "Function name of the router (key `router`)."
  value       = { router = module.router.function_name }
}

output "function_arns" {
  description = "Function ARN of the router (key `router`)."
  value       = { router = module.router.function_arn }
}

output "alias_arns" {
  description = "ARN of the alias (the published SnapStart version) API Gateway invokes (key `router`)."
  value       = { router = module.router.alias_arn }
}

output "role_names" {
  description = "Execution role of the router (key `router`; attach policies here)."
  value       = { router = module.router.role_name }
}
{% endif %}
{% if auth == 'Custom' %}

output "authorizer_function_name" {
  description = "Name of the Lambda authorizer function."
  value       = module.authorizer.function_name
}

output "authorizer_role_name" {
  description = "Execution role of the Lambda authorizer."
  value       = module.authorizer.role_name
}
{% endif %}
