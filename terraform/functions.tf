# The functions and their routes come from the one route declaration, terraform/routes.json (generated from
# ApiCatalog; RouteDeclarationTest fails while it is stale): one module instance per declared function (for_each) and
# one route per declared route key. What the declaration does not know - each function's description, memory, extra
# environment and least-privilege policy - is local.function_settings below, keyed by the same function names (a
# declared function without settings fails the plan; settings without a declared function fail TerraformTest).
#
# To add a function: declare it (ApiCatalog, then regenerate routes.json), add its settings here, and its resources in
# template.yaml. To add a route: declare it and regenerate routes.json; nothing to write here.
#
# No dependency cycle: the routes reference the integrations, the functions only reference the API itself (for its
# endpoint), never a route.
locals {
  declaration = jsondecode(file("${path.module}/routes.json"))

  # The issuer: issuer_url, else the custom domain, else the API's own endpoint (no cycle: see above).
  issuer = (var.issuer_url != "" ? var.issuer_url
  : var.domain_name != "" ? "https://${var.domain_name}" : aws_apigatewayv2_api.latchkey.api_endpoint)

  # Every function gets the same environment as in template.yaml (Globals.Function), plus its own settings'.
  common_environment = merge({
    LATCHKEY_TABLE_NAME = aws_dynamodb_table.latchkey.name
    LATCHKEY_KEY_VAULT  = "kms"
    LATCHKEY_KMS_KEY_ID = aws_kms_key.latchkey.arn
    LATCHKEY_MAIL_FROM  = var.mail_from
    LATCHKEY_ISSUER     = local.issuer
    # Read by the functions that issue access tokens (login, passkey, token); the last by token only.
    LATCHKEY_ACCESS_TOKEN_TYPE             = var.access_token_type
    LATCHKEY_FIRST_PARTY_CLIENT_ID         = var.first_party_client_id
    LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME = tostring(var.client_assertion_max_lifetime)
    # Latchkey's metrics (EMF lines in each function's log), read by monitoring.tf's alarms and dashboard.
    LATCHKEY_METRICS_NAMESPACE = local.metrics_namespace
    JAVA_TOOL_OPTIONS          = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
    },
    # Only with the edge (edge.tf): the origin secret CloudFront sends; without it the variable is absent and the
    # functions take API Gateway's sourceIp as today. A changed secret changes the configuration: a new version.
    var.edge_enabled ? { LATCHKEY_EDGE_ORIGIN_SECRET = var.edge_origin_secret } : {},
    # Every lifetime, throttle and rate limit set in var.limits, each as its own variable (LatchkeyConfig.limits()).
    local.limit_environment,
  )

  limit_environment = {
    for name, value in var.limits :
    upper(format("latchkey_%s", name)) => tostring(value)
  }

  # Where the rotate-keys failure alarm notifies: alarm_topic_arn, else the topic made for alarm_email, else nobody.
  alarm_actions = var.alarm_topic_arn != "" ? [var.alarm_topic_arn] : aws_sns_topic.alarms[*].arn

  function_defaults = {
    memory_size        = 1024
    pepper_owner       = false
    signing_key_writer = false
    environment        = {}
  }

  # Declared function name -> its declaration (module, main_class, trigger, routes) with its settings.
  functions = {
    for name, declared in local.declaration.functions :
    name => merge(local.function_defaults, local.function_settings[name], declared)
  }

  # Route key -> the function serving it: every declared route once, and the catch-all $default (404/405).
  routes = merge({ "$default" = local.declaration.default_route_function }, {
    for route in flatten([
      for name, declared in local.declaration.functions : [for key in declared.routes : { key = key, function = name }]
    ]) : route.key => route.function
  })

  function_settings = {
    # Reads one item (GET /health/ready), the signing-key partition (GET /health's key ring) and describes the
    # key; 512 MB.
    health = {
      description = "Latchkey health checks (GET /health, /health/live, /health/ready) and the catch-all 404/405 route"
      memory_size = 512
      policy_statements = [
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem"]
          Resource = [aws_dynamodb_table.latchkey.arn]
        },
        {
          Effect    = "Allow"
          Action    = ["dynamodb:Query"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringEquals" = { "dynamodb:LeadingKeys" = ["SIGNING_KEY"] } }
        },
        {
          Effect   = "Allow"
          Action   = ["kms:DescribeKey"]
          Resource = [aws_kms_key.latchkey.arn]
        },
        # The table is encrypted with the stack's key: reading it needs kms:Decrypt, only via DynamoDB.
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
      ]
    }

    # Argon2id hashes: one full vCPU (1,769 MB). Only this function reads the disclosure mode.
    register = {
      description = "Latchkey sign-up and email verification"
      memory_size = 1769
      environment = {
        LATCHKEY_REGISTRATION_DISCLOSURE = var.registration_disclosure
      }
      policy_statements = [
        # Users, email claims, organizations, memberships, challenges, rate-limit counters, audit.
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
          Resource = [aws_dynamodb_table.latchkey.arn]
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
        # Mail (verification, reset) only from the configured sender.
        {
          Effect    = "Allow"
          Action    = ["ses:SendEmail"]
          Resource  = ["arn:${data.aws_partition.current.partition}:ses:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:identity/*"]
          Condition = { StringEquals = { "ses:FromAddress" = var.mail_from } }
        },
      ]
    }

    # Argon2id hashes: one full vCPU (1,769 MB).
    login = {
      description  = "Latchkey password login, second factors (TOTP), logout, password change and reset, current user and sessions"
      memory_size  = 1769
      pepper_owner = true
      policy_statements = [
        # Users, claims, memberships, sessions, refresh tokens, reset challenges, throttles, counters, audit;
        # passkeys and their credential-id lookups, which a reset may remove (issue 20: a Query of the user,
        # then per passkey a TransactWriteItems of two Deletes and the audit Put).
        {
          Effect = "Allow"
          Action = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
          "dynamodb:BatchGetItem", "dynamodb:Query"]
          Resource = [aws_dynamodb_table.latchkey.arn, "${aws_dynamodb_table.latchkey.arn}/index/gsi1"]
        },
        # Opens signing keys (any kid); the pepper statement below names its peppers.
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:EncryptionContext:latchkey:purpose" = "signing-key" } }
        },
        {
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = [aws_kms_key.latchkey.arn]
          Condition = {
            StringEquals = {
              "kms:EncryptionContext:latchkey:purpose" = "pepper"
              "kms:EncryptionContext:latchkey:owner"   = ["refresh-token"]
            }
          }
        },
        # TOTP secrets (docs/mfa.md): sealed at enrolment, opened per verification, each under its user's
        # encryption context (latchkey:owner = the user id).
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:EncryptionContext:latchkey:purpose" = "totp" } }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
        # Mail (verification, reset) only from the configured sender.
        {
          Effect    = "Allow"
          Action    = ["ses:SendEmail"]
          Resource  = ["arn:${data.aws_partition.current.partition}:ses:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:identity/*"]
          Condition = { StringEquals = { "ses:FromAddress" = var.mail_from } }
        },
      ]
    }

    token = {
      description  = "Latchkey OAuth token endpoint and revocation"
      pepper_owner = true
      policy_statements = [
        # Sessions, refresh tokens, the pepper, the key ring (Query), rate-limit counters, audit; the access-token
        # deny-list (revocation: PutItem; introspection: BatchGetItem with the session); API keys revoked through
        # /oauth/revoke (a transaction of Update and the audit Put).
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"]
          Resource = [aws_dynamodb_table.latchkey.arn]
        },
        # Opens signing keys (any kid); the pepper statement below names its peppers.
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:EncryptionContext:latchkey:purpose" = "signing-key" } }
        },
        # Opens (and on the very first start creates) only these peppers: refresh-token, api-key, client-secret.
        {
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = [aws_kms_key.latchkey.arn]
          Condition = {
            StringEquals = {
              "kms:EncryptionContext:latchkey:purpose" = "pepper"
              "kms:EncryptionContext:latchkey:owner"   = ["refresh-token", "api-key", "client-secret"]
            }
          }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
      ]
    }

    # Reads only the signing-key partition: dynamodb:LeadingKeys pins the Query to pk = SIGNING_KEY.
    jwks = {
      description = "Latchkey JWKS and issuer metadata (GET /.well-known/...)"
      memory_size = 512
      policy_statements = [
        {
          Effect    = "Allow"
          Action    = ["dynamodb:Query"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringEquals" = { "dynamodb:LeadingKeys" = ["SIGNING_KEY"] } }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
      ]
    }

    # The OpenID Provider's browser side (issue 15): applications, browser sessions (SSO#), consents, authorization
    # codes, sessions and the deny-list (one BatchGetItem), the signing-key partition, audit; no pepper (ending a
    # session at logout is a conditional update of the session item).
    signin = {
      description = "Latchkey OpenID Provider browser side (GET/POST /oauth/authorize, hosted sign-in and consent pages, /oauth/logout)"
      policy_statements = [
        {
          Effect = "Allow"
          Action = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
          "dynamodb:BatchGetItem", "dynamodb:Query"]
          Resource = [aws_dynamodb_table.latchkey.arn]
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
      ]
    }

    # Queries the table only with dynamodb:LeadingKeys = SIGNING_KEY (public keys, to verify users' access tokens)
    # APIKEY#* (a key family, revoked together), EXTID#* (keys by external id) or VERIFY_KEY#* / VERIFY_ORG#* (daily
    # verification counts); opens only the api-key pepper.
    "api-keys" = {
      description  = "Latchkey organization API keys and POST /v1/api-keys/verify"
      pepper_owner = true
      policy_statements = [
        # API keys (one transaction per change with its audit event: Put, Update, Delete),
        # memberships, the api-key pepper, rate-limit counters, usage counters, audit; a user token's session and
        # deny-list entry in one BatchGetItem.
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
          Resource = [aws_dynamodb_table.latchkey.arn]
        },
        # A key made by a key: its create transaction's ConditionCheck of each maker (unrevoked, not frozen).
        {
          Effect    = "Allow"
          Action    = ["dynamodb:ConditionCheckItem"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["APIKEY#*"] } }
        },
        # An organization's keys, newest first.
        {
          Effect   = "Allow"
          Action   = ["dynamodb:Query"]
          Resource = ["${aws_dynamodb_table.latchkey.arn}/index/gsi1"]
        },
        # The public signing keys that verify users' access tokens, a key family's partition (the keys a key
        # made, revoked with it), an external id's keys and the daily verification counts of a key or an
        # organization; nothing else of the table.
        {
          Effect    = "Allow"
          Action    = ["dynamodb:Query"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["SIGNING_KEY", "APIKEY#*", "EXTID#*", "VERIFY_KEY#*", "VERIFY_ORG#*"] } }
        },
        # Opens (and on the very first start creates) only the api-key pepper; never a signing key.
        {
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = [aws_kms_key.latchkey.arn]
          Condition = {
            StringEquals = {
              "kms:EncryptionContext:latchkey:purpose" = "pepper"
              "kms:EncryptionContext:latchkey:owner"   = ["api-key"]
            }
          }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
      ]
    }

    # Only this function gets the LATCHKEY_WEBAUTHN_* variables. Query only in a user's partition (their
    # passkeys) and the key ring; opens only the signing key and the refresh-token pepper.
    passkey = {
      description  = "Latchkey passkeys (WebAuthn): registration, login, the user's passkeys"
      pepper_owner = true
      environment = {
        LATCHKEY_WEBAUTHN_RP_ID                   = var.webauthn_rp_id
        LATCHKEY_WEBAUTHN_RP_NAME                 = var.webauthn_rp_name
        LATCHKEY_WEBAUTHN_ORIGINS                 = join(",", var.webauthn_origins)
        LATCHKEY_WEBAUTHN_USER_VERIFICATION       = var.webauthn_user_verification
        LATCHKEY_PASSKEY_RECENT_AUTH_SECONDS      = tostring(var.passkey_recent_auth_seconds)
        LATCHKEY_PASSKEY_REGISTER_PER_USER_HOURLY = tostring(var.passkey_register_per_user_hourly)
        LATCHKEY_PASSKEY_REGISTER_PER_IP_HOURLY   = tostring(var.passkey_register_per_ip_hourly)
      }
      policy_statements = [
        # Users, user handles, passkeys and their credential-id lookups, challenges (spent by a conditional
        # delete), sessions, refresh tokens, the peppers, rate-limit counters, audit. TransactWriteItems needs
        # the action of each of its parts (Put, Update, Delete). A user token's session and deny-list entry: one
        # BatchGetItem.
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
          Resource = [aws_dynamodb_table.latchkey.arn]
        },
        # The ConditionCheck that keeps the last passkey of an account without a password, in a user's partition.
        {
          Effect    = "Allow"
          Action    = ["dynamodb:ConditionCheckItem"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["USER#*"] } }
        },
        # A user's passkeys (their USER# partition) and the public signing keys; nothing else.
        {
          Effect    = "Allow"
          Action    = ["dynamodb:Query"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["USER#*", "SIGNING_KEY"] } }
        },
        # Opens signing keys (any kid); the pepper statement below names its peppers.
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:EncryptionContext:latchkey:purpose" = "signing-key" } }
        },
        # Opens (and on the very first start creates) only these peppers: refresh-token, passkey-decoy.
        {
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = [aws_kms_key.latchkey.arn]
          Condition = {
            StringEquals = {
              "kms:EncryptionContext:latchkey:purpose" = "pepper"
              "kms:EncryptionContext:latchkey:owner"   = ["refresh-token", "passkey-decoy"]
            }
          }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
      ]
    }

    # Organizations, members, invitations, teams, resources and grants, service clients, the audit log. Verifies users'
    # access tokens with the public signing keys only; opens the api-key and client-secret peppers, nothing else.
    orgs = {
      description  = "Latchkey organizations, members, invitations, teams, resources and grants, service clients, audit log"
      pepper_owner = true
      policy_statements = [
        # Organizations, memberships, invitations, teams, resources, audience claims, grants, clients and their
        # credentials, API keys (callers), rate-limit counters, audit; transactions with their ConditionChecks.
        {
          Effect   = "Allow"
          Action   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]
          Resource = [aws_dynamodb_table.latchkey.arn]
        },
        # An organization's partition, a client's credentials, a user's profile, the organization's audit log and the
        # public signing keys; nothing else.
        {
          Effect    = "Allow"
          Action    = ["dynamodb:Query"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["ORG#*", "CLIENT#*", "USER#*", "AUDIT#org_*", "SIGNING_KEY"] } }
        },
        # A user's organizations, an organization's API keys and clients, a team's members.
        {
          Effect   = "Allow"
          Action   = ["dynamodb:Query"]
          Resource = ["${aws_dynamodb_table.latchkey.arn}/index/gsi1"]
        },
        # Opens (and on the very first start creates) only these peppers: api-key, client-secret.
        {
          Effect   = "Allow"
          Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource = [aws_kms_key.latchkey.arn]
          Condition = {
            StringEquals = {
              "kms:EncryptionContext:latchkey:purpose" = "pepper"
              "kms:EncryptionContext:latchkey:owner"   = ["api-key", "client-secret"]
            }
          }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
        # Invitations by mail, only from the configured sender.
        {
          Effect    = "Allow"
          Action    = ["ses:SendEmail"]
          Resource  = ["arn:${data.aws_partition.current.partition}:ses:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:identity/*"]
          Condition = { StringEquals = { "ses:FromAddress" = var.mail_from } }
        },
      ]
    }

    # Scheduled, no route. Writes the signing-key partition and the system audit partition only;
    # seals new private keys (GenerateDataKey with the signing-key encryption context), never opens one.
    "rotate-keys" = {
      description        = "Latchkey signing-key rotation (EventBridge schedule)"
      signing_key_writer = true
      policy_statements = [
        {
          Effect    = "Allow"
          Action    = ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]
          Resource  = [aws_dynamodb_table.latchkey.arn]
          Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["SIGNING_KEY", "AUDIT#system#*"] } }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:EncryptionContext:latchkey:purpose" = "signing-key" } }
        },
        {
          Effect    = "Allow"
          Action    = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
          Resource  = [aws_kms_key.latchkey.arn]
          Condition = { StringEquals = { "kms:ViaService" = "dynamodb.${data.aws_region.current.region}.amazonaws.com" } }
        },
      ]
    }
  }
}

module "function" {
  source   = "./modules/function"
  for_each = local.functions

  name               = each.key
  definition         = each.key
  description        = each.value.description
  zip_path           = "${var.lambda_zip_dir}/${each.value.module}/target/latchkey-${each.value.module}-lambda.zip"
  main_class         = each.value.main_class
  environment        = merge(local.common_environment, each.value.environment)
  memory_size        = each.value.memory_size
  pepper_owner       = each.value.pepper_owner
  signing_key_writer = each.value.signing_key_writer
  policy_statements  = each.value.policy_statements
  table_arn          = aws_dynamodb_table.latchkey.arn
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode
  wait_for_snapstart = var.wait_for_snapstart
  # A plain boolean from the declaration, known at plan time (never the API's id: issue #19 item 1).
  http_api          = each.value.trigger == "http"
  api_id            = aws_apigatewayv2_api.latchkey.id
  api_execution_arn = aws_apigatewayv2_api.latchkey.execution_arn
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = each.key
  target    = "integrations/${module.function[each.value].integration_id}"
}

# ------------------------------------------------------------------ rotate-keys schedule and failures

# The schedule invokes asynchronously: two retries, then the event goes to a queue that raises an alarm.
resource "aws_sqs_queue" "rotate_keys_failures" {
  name                      = "${var.name_prefix}-rotate-keys-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_iam_role_policy" "rotate_keys_failures" {
  name = "failure-destination"
  role = module.function["rotate-keys"].role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.rotate_keys_failures.arn]
      },
    ]
  })
}

resource "aws_lambda_function_event_invoke_config" "rotate_keys" {
  function_name                = module.function["rotate-keys"].function_name
  qualifier                    = module.function["rotate-keys"].alias_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.rotate_keys_failures.arn
    }
  }

  depends_on = [aws_iam_role_policy.rotate_keys_failures]
}

resource "aws_cloudwatch_metric_alarm" "rotate_keys_failures" {
  alarm_name          = "${var.name_prefix}-rotate-keys-failures"
  alarm_description   = "A rotate-keys run failed after its retries (see the queue and the function's log)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.rotate_keys_failures.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  # Notifies alarm_topic_arn, else the topic below (alarm_email), else nobody (the alarm only shows in CloudWatch).
  alarm_actions = local.alarm_actions
  ok_actions    = local.alarm_actions
}

# The alarm's action (issue #19 item 9): an existing SNS topic (alarm_topic_arn), or one made here for alarm_email
# (local.alarm_actions above). Not encrypted with KMS: CloudWatch alarms cannot publish to a topic under the
# AWS-managed key aws/sns, and the messages carry only the alarm's name, state and metric.
resource "aws_sns_topic" "alarms" {
  count = var.alarm_topic_arn == "" && var.alarm_email != "" ? 1 : 0
  name  = "${var.name_prefix}-alarms"
}

# SNS mails the address a confirmation link first; until it is followed, nothing is delivered.
resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_topic_arn == "" && var.alarm_email != "" ? 1 : 0
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_event_rule" "rotate_keys" {
  name                = "${var.name_prefix}-rotate-keys"
  description         = "Runs the Latchkey signing-key rotation every hour."
  schedule_expression = "rate(1 hour)"
}

resource "aws_cloudwatch_event_target" "rotate_keys" {
  rule = aws_cloudwatch_event_rule.rotate_keys.name
  arn  = module.function["rotate-keys"].alias_arn
}

resource "aws_lambda_permission" "rotate_keys_schedule" {
  statement_id  = "AllowEventBridgeInvoke"
  action        = "lambda:InvokeFunction"
  function_name = module.function["rotate-keys"].function_name
  qualifier     = module.function["rotate-keys"].alias_name # depends on the alias, not a literal "live" that may not exist yet
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.rotate_keys.arn
}
