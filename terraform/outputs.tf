output "api_url" {
  description = "Base URL of the HTTP API's default endpoint ($default stage); disabled (403) with the edge."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "issuer_url" {
  description = "The tokens' issuer (iss) and public base URL."
  value       = local.issuer
}

output "domain_target" {
  description = "With domain_name: where the API's custom domain points (CNAME, or a Route 53 alias with domain_hosted_zone_id)."
  value       = one(aws_apigatewayv2_domain_name.latchkey[*].domain_name_configuration[0].target_domain_name)
}

output "domain_hosted_zone_id" {
  description = "With domain_name: the hosted zone of domain_target, for a Route 53 alias record."
  value       = one(aws_apigatewayv2_domain_name.latchkey[*].domain_name_configuration[0].hosted_zone_id)
}

output "edge_domain_target" {
  description = "With the edge: point domain_name here (the CloudFront distribution; a Route 53 alias uses zone Z2FDTNDATAQYW2)."
  value       = one(aws_cloudfront_distribution.edge[*].domain_name)
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
  value       = module.function["rotate-keys"].function_name
}
