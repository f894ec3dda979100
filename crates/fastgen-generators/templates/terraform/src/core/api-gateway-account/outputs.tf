output "cloudwatch_role_arn" {
  description = "ARN of the role API Gateway writes logs with."
  value       = aws_api_gateway_account.this.cloudwatch_role_arn
}
