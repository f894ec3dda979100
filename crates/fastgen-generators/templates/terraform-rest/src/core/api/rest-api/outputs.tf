output "api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "api_arn" {
  description = "ARN of the REST API."
  value       = aws_api_gateway_rest_api.this.arn
}

output "execution_arn" {
  description = "Execution ARN of the REST API (prefix of the execute-api ARNs of its methods)."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "root_resource_id" {
  description = "ID of the root resource."
  value       = aws_api_gateway_rest_api.this.root_resource_id
}

output "resource_ids" {
  description = "ID of the resource of every path."
  value       = local.resource_ids
}

output "stage_name" {
  description = "Name of the stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "stage_arn" {
  description = "ARN of the stage (associate a WAF web ACL here)."
  value       = aws_api_gateway_stage.this.arn
}

output "url" {
  description = "Invoke URL of the stage, with a trailing slash."
  value       = "${aws_api_gateway_stage.this.invoke_url}/"
}

output "authorizer_id" {
  description = "ID of the Cognito or Lambda authorizer (null for IAM and NONE)."
  value       = local.authorizer_id
}

output "alarm_arns" {
  description = "ARNs of the stage's alarms (5xx rate, p99 latency); empty when alarms are disabled."
  value       = concat(aws_cloudwatch_metric_alarm.server_error_rate[*].arn, aws_cloudwatch_metric_alarm.latency_p99[*].arn)
}

output "access_log_group_name" {
  description = "Log group of the JSON access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "invoke_policy_json" {
  description = "IAM policy allowing execute-api:Invoke on every method of the stage: attach it to the roles or users that may call an IAM-auth API."
  value       = data.aws_iam_policy_document.invoke.json
}
