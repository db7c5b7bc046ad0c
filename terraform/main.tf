data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

# ------------------------------------------------------------------ KMS

resource "aws_kms_key" "latchkey" {
  description             = "Latchkey (${var.name_prefix}) - table encryption and key vault"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "EnableRootAccountPermissions"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
    ]
  })

  # Same intent as DeletionPolicy RetainExceptOnCreate in template.yaml: Terraform does not roll back a failed
  # apply (what it created stays in the state and the next apply continues), so a failed first apply leaves no
  # debris outside the state; prevent_destroy makes any plan that would destroy the key fail.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_alias" "latchkey" {
  name          = "alias/${var.name_prefix}"
  target_key_id = aws_kms_key.latchkey.key_id
}

# ------------------------------------------------------------------ DynamoDB

resource "aws_dynamodb_table" "latchkey" {
  name                        = var.table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "gsi1pk"
    type = "S"
  }

  attribute {
    name = "gsi1sk"
    type = "S"
  }

  global_secondary_index {
    name            = "gsi1"
    hash_key        = "gsi1pk"
    range_key       = "gsi1sk"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.latchkey.arn
  }

  lifecycle {
    prevent_destroy = true
  }
}

# ------------------------------------------------------------------ HTTP API

resource "aws_apigatewayv2_api" "latchkey" {
  name          = "${var.name_prefix}-api"
  description   = "Latchkey HTTP API"
  protocol_type = "HTTP"
  # CORS only with cors_allowed_origins; the methods and headers are the API's (core CorsPolicy, parity tested).
  dynamic "cors_configuration" {
    for_each = length(var.cors_allowed_origins) > 0 ? [1] : []
    content {
      allow_origins     = var.cors_allowed_origins
      allow_methods     = ["GET", "POST", "PUT", "PATCH", "DELETE"]
      allow_headers     = ["authorization", "content-type", "if-none-match", "x-api-key"]
      expose_headers    = ["etag", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after", "www-authenticate", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"]
      max_age           = var.cors_max_age
      allow_credentials = var.cors_allow_credentials
    }
  }
  # Behind the edge, the default https://<api-id>.execute-api... endpoint is off: requests come through CloudFront and
  # its WAF only (HTTP APIs take no WAF of their own).
  disable_execute_api_endpoint = var.edge_enabled

  lifecycle {
    precondition {
      condition     = !var.edge_enabled || var.domain_name != ""
      error_message = "edge_enabled needs domain_name (the public name CloudFront serves, and the issuer's host)."
    }
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/${var.name_prefix}-http-api"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.latchkey.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      routeKey           = "$context.routeKey"
      path               = "$context.path"
      status             = "$context.status"
      protocol           = "$context.protocol"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
    })
  }

  default_route_settings {
    throttling_burst_limit = 200
    throttling_rate_limit  = 100
  }
}
