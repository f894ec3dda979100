output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_arn" {
  description = "ARN of the HTTP API."
  value       = aws_apigatewayv2_api.this.arn
}

output "execution_arn" {
  description = "Execution ARN of the HTTP API (prefix of the execute-api ARNs of its routes)."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "api_endpoint" {
  description = "Default endpoint of the API."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "stage_name" {
  description = "Name of the stage."
  value       = aws_apigatewayv2_stage.this.name
}

output "stage_arn" {
  description = "ARN of the stage."
  value       = aws_apigatewayv2_stage.this.arn
}

output "url" {
  description = "Invoke URL of the $default stage, with a trailing slash."
  value       = aws_apigatewayv2_stage.this.invoke_url
}

output "authorizer_id" {
  description = "ID of the JWT or Lambda authorizer (null for IAM and NONE)."
  value       = local.authorizer_id
}

output "alarm_arns" {
  description = "ARNs of the API's alarms (5xx rate, p99 latency); empty when alarms are disabled."
  value       = concat(aws_cloudwatch_metric_alarm.server_error_rate[*].arn, aws_cloudwatch_metric_alarm.latency_p99[*].arn)
}

output "access_log_group_name" {
  description = "Log group of the JSON access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "invoke_policy_json" {
  description = "IAM policy allowing execute-api:Invoke on every route: attach it to the roles or users that may call an IAM-auth API."
  value       = data.aws_iam_policy_document.invoke.json
}
