output "api_url" {
  description = "Base URL of the HTTP API ($default stage)."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "table_name" {
  description = "DynamoDB table name."
  value       = aws_dynamodb_table.latchkey.name
}

output "key_arn" {
  description = "KMS key ARN (table encryption and key vault)."
  value       = aws_kms_key.latchkey.arn
}


output "rotate_keys_function_name" {
  description = "The rotate-keys function; invoke its live alias once after the first apply to create the signing keys."
  value       = module.rotate_keys.function_name
}
