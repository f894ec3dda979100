output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Unqualified ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "version" {
  description = "Latest published version."
  value       = aws_lambda_function.this.version
}

output "alias_name" {
  description = "Name of the alias API Gateway invokes."
  value       = aws_lambda_alias.this.name
}

output "alias_arn" {
  description = "ARN of the alias (the qualified ARN API Gateway invokes)."
  value       = aws_lambda_alias.this.arn
}

output "invoke_arn" {
  description = "Buffered invocation URI of the alias (HTTP API integrations, authorizers)."
  value       = aws_lambda_alias.this.invoke_arn
}

output "streaming_invoke_arn" {
  description = "Response-streaming invocation URI of the alias (REST API integrations in STREAM mode)."
  value       = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.region}:lambda:path/2021-11-15/functions/${aws_lambda_alias.this.arn}/response-streaming-invocations"
}

output "role_name" {
  description = "Name of the execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_arns" {
  description = "ARNs of the function's alarms (errors, throttles); empty when alarms are disabled."
  value       = concat(aws_cloudwatch_metric_alarm.errors[*].arn, aws_cloudwatch_metric_alarm.throttles[*].arn)
}

output "log_group_arn" {
  description = "ARN of the function's log group."
  value       = aws_cloudwatch_log_group.this.arn
}
