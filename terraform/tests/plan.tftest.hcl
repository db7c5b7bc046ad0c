# `terraform test` (Terraform >= 1.7): plans the configuration against a mocked AWS provider - no credentials, no
# AWS calls, nothing created - and checks what the plan would build. Needs `terraform init` (the provider's schema)
# and the Lambda zips (`./mvnw -B package -DskipTests`; filebase64sha256 reads them).

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { region = "eu-west-1", name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{}" }
  }
}

mock_provider "aws" {
  alias = "us_east_1"
}

variables {
  mail_from = "no-reply@example.com"
}

# Every declared function (routes.json) once, every declared route once plus $default, no edge, execute-api on.
run "default" {
  command = plan

  assert {
    condition     = length(module.function) == length(jsondecode(file("routes.json")).functions)
    error_message = "one module instance per declared function"
  }
  assert {
    condition = length(aws_apigatewayv2_route.this) == 1 + sum([
      for f in jsondecode(file("routes.json")).functions : length(f.routes)
    ])
    error_message = "one route per declared route key, and $default"
  }
  assert {
    condition     = length(aws_cloudfront_distribution.edge) == 0 && length(aws_wafv2_web_acl.edge) == 0
    error_message = "no edge unless edge_enabled"
  }
  assert {
    condition     = !contains(keys(nonsensitive(local.common_environment)), "LATCHKEY_EDGE_ORIGIN_SECRET")
    error_message = "no origin secret variable without the edge"
  }
  assert {
    condition     = aws_apigatewayv2_api.latchkey.disable_execute_api_endpoint == false
    error_message = "the execute-api endpoint stays on without the edge"
  }
  assert {
    condition     = length(aws_sns_topic.alarms) == 0 && length(aws_apigatewayv2_domain_name.latchkey) == 0
    error_message = "no topic without alarm_email, no domain without domain_name"
  }
}

# The edge: CloudFront and the web ACL, the API's domain is the origin's, execute-api off, issuer from domain_name.
run "edge" {
  command = plan

  variables {
    domain_name             = "id.example.com"
    certificate_arn         = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
    edge_enabled            = true
    edge_origin_domain_name = "origin.id.example.com"
    edge_certificate_arn    = "arn:aws:acm:us-east-1:123456789012:certificate/def"
    edge_origin_secret      = "0123456789abcdef0123456789abcdef0123"
    alarm_email             = "ops@example.com"
  }

  assert {
    condition     = length(aws_cloudfront_distribution.edge) == 1 && length(aws_wafv2_web_acl.edge) == 1
    error_message = "the edge exists with edge_enabled"
  }
  assert {
    condition     = aws_apigatewayv2_api.latchkey.disable_execute_api_endpoint == true
    error_message = "the execute-api endpoint is off behind the edge"
  }
  assert {
    condition     = aws_apigatewayv2_domain_name.latchkey[0].domain_name == "origin.id.example.com"
    error_message = "the API's custom domain is the origin's"
  }
  assert {
    condition     = nonsensitive(one(one(aws_cloudfront_distribution.edge[0].origin).custom_header).name == "x-latchkey-edge-secret")
    error_message = "CloudFront sends the origin secret header"
  }
  assert {
    condition     = nonsensitive(local.common_environment["LATCHKEY_EDGE_ORIGIN_SECRET"] == "0123456789abcdef0123456789abcdef0123")
    error_message = "the functions require the origin secret with the edge"
  }
  assert {
    condition     = local.issuer == "https://id.example.com"
    error_message = "the issuer is https://<domain_name>"
  }
  assert {
    condition     = length(aws_sns_topic.alarms) == 1 && length(aws_sns_topic_subscription.alarm_email) == 1
    error_message = "alarm_email makes a topic and its subscription"
  }
}

run "custom_domain_without_certificate_fails" {
  command = plan

  variables {
    domain_name = "id.example.com"
  }

  expect_failures = [aws_apigatewayv2_domain_name.latchkey]
}

run "edge_without_domain_fails" {
  command = plan

  variables {
    edge_enabled = true
  }

  expect_failures = [aws_apigatewayv2_api.latchkey, aws_cloudfront_distribution.edge]
}
