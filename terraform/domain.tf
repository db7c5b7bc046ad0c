# ------------------------------------------------------------------ custom domain (optional)
# As in template.yaml: with domain_name and certificate_arn (an ACM certificate in the provider's region), a regional
# API Gateway domain name and the mapping of the API's $default stage to its root; the issuer is then
# https://<domain_name> (unless issuer_url says otherwise), a variable known before any resource exists. Point DNS at
# the domain_target output (CNAME, or a Route 53 alias with domain_hosted_zone_id).
#
# With the edge (edge.tf), the public domain_name is CloudFront's, and this API Gateway domain is the origin's,
# edge_origin_domain_name, which CloudFront calls with its own Host (certificate_arn must cover it too).

locals {
  custom_domain = var.domain_name != ""
  api_domain    = var.edge_enabled ? var.edge_origin_domain_name : var.domain_name
}

resource "aws_apigatewayv2_domain_name" "latchkey" {
  count       = local.custom_domain ? 1 : 0
  domain_name = local.api_domain

  domain_name_configuration {
    certificate_arn = var.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }

  lifecycle {
    precondition {
      condition     = var.certificate_arn != ""
      error_message = "domain_name needs certificate_arn (an ACM certificate in this region)."
    }
    precondition {
      condition     = !var.edge_enabled || var.edge_origin_domain_name != ""
      error_message = "edge_enabled needs edge_origin_domain_name (the API's own custom domain behind CloudFront)."
    }
  }
}

resource "aws_apigatewayv2_api_mapping" "latchkey" {
  count       = local.custom_domain ? 1 : 0
  api_id      = aws_apigatewayv2_api.latchkey.id
  domain_name = aws_apigatewayv2_domain_name.latchkey[0].id
  stage       = aws_apigatewayv2_stage.default.id
}
