# ------------------------------------------------------------------ edge (optional): CloudFront + AWS WAF
# HTTP APIs take no WAF (issue #19 item 11). With edge_enabled, CloudFront serves domain_name (certificate
# edge_certificate_arn, in us-east-1) behind a web ACL, forwards every request uncached to the API's own custom domain
# edge_origin_domain_name (domain.tf), and the default execute-api endpoint is disabled (main.tf).
#
# A CloudFront-scoped web ACL must be created in us-east-1, whatever the stack's region: hence the provider alias
# aws.us_east_1 (versions.tf). Nothing is created there while edge_enabled is false.

locals {
  # Unauthenticated routes that sign in, issue tokens or cost an Argon2id hash: the rate-based rule counts requests
  # to these paths per client IP. Each is a declared route (EdgeTest checks it against ApiCatalog).
  edge_sign_in_paths = [
    "/v1/auth/register",
    "/v1/auth/login/password",
    "/v1/auth/login/mfa",
    "/v1/auth/password/forgot",
    "/v1/auth/password/reset",
    "/v1/auth/passkeys/login/options",
    "/v1/auth/passkeys/login/verify",
    "/oauth/token",
  ]

  # AWS managed CloudFront policies (fixed ids, the same in every account).
  cache_policy_caching_disabled                       = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # Managed-CachingDisabled
  origin_request_policy_all_viewer_except_host_header = "b689b0a8-53d0-40ab-baf2-68738e2966ac" # Managed-AllViewerExceptHostHeader
}

resource "aws_wafv2_web_acl" "edge" {
  count    = var.edge_enabled ? 1 : 0
  provider = aws.us_east_1

  name        = "${var.name_prefix}-edge"
  description = "Latchkey edge: sign-in rate limit per IP, AWS managed common rules"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  rule {
    name     = "sign-in-rate-limit"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.edge_sign_in_rate_limit
        evaluation_window_sec = 300
        aggregate_key_type    = "IP"

        scope_down_statement {
          or_statement {
            dynamic "statement" {
              for_each = local.edge_sign_in_paths
              content {
                byte_match_statement {
                  search_string         = statement.value
                  positional_constraint = "EXACTLY"

                  field_to_match {
                    uri_path {}
                  }

                  text_transformation {
                    priority = 0
                    type     = "NONE"
                  }
                }
              }
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-sign-in-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-managed-common"
    priority = 1

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-aws-managed-common"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name_prefix}-edge"
    sampled_requests_enabled   = true
  }
}

resource "aws_cloudfront_distribution" "edge" {
  count = var.edge_enabled ? 1 : 0

  enabled         = true
  comment         = "Latchkey (${var.name_prefix}) edge"
  aliases         = [var.domain_name]
  web_acl_id      = aws_wafv2_web_acl.edge[0].arn
  http_version    = "http2and3"
  is_ipv6_enabled = true
  price_class     = var.edge_price_class

  origin {
    origin_id   = "api"
    domain_name = var.edge_origin_domain_name

    # The origin secret the functions require (LATCHKEY_EDGE_ORIGIN_SECRET, functions.tf): CloudFront sets it on
    # every origin request, replacing any viewer header of that name, so a request to the origin name without it
    # went around the web ACL and is refused (403).
    custom_header {
      name  = "x-latchkey-edge-secret"
      value = var.edge_origin_secret
    }

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  # An API, not content: nothing cached (CachingDisabled), and with caching disabled the AllViewerExceptHostHeader
  # origin request policy forwards every viewer header (Authorization included), cookie and query string; the Host
  # is the origin's, which its certificate and API mapping answer to.
  default_cache_behavior {
    target_origin_id         = "api"
    viewer_protocol_policy   = "https-only"
    allowed_methods          = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = local.cache_policy_caching_disabled
    origin_request_policy_id = local.origin_request_policy_all_viewer_except_host_header
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = var.edge_certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  lifecycle {
    precondition {
      condition     = var.edge_certificate_arn != "" && var.edge_origin_domain_name != "" && var.domain_name != "" && nonsensitive(var.edge_origin_secret != "")
      error_message = "edge_enabled needs domain_name, edge_origin_domain_name, edge_certificate_arn (us-east-1) and edge_origin_secret."
    }
  }
}
