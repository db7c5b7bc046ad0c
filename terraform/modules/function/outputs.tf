output "integration_id" {
  description = "Id of the API integration; routes target \"integrations/<id>\"."
  value       = var.http_api ? aws_apigatewayv2_integration.this[0].id : null
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}

output "alias_name" {
  description = "The alias \"live\" (a reference, so what uses it waits for the alias)."
  value       = aws_lambda_alias.live.name
}

output "alias_arn" {
  value = aws_lambda_alias.live.arn
}

output "role_name" {
  value = aws_iam_role.this.name
}
