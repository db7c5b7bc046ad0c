# Every function gets the same environment as in template.yaml (Globals.Function).
# No dependency cycle here: the routes reference the integrations, the functions only
# reference the API itself (for its endpoint), never a route.
locals {
  issuer = var.issuer_url != "" ? var.issuer_url : aws_apigatewayv2_api.latchkey.api_endpoint

  common_environment = {
    LATCHKEY_TABLE_NAME = aws_dynamodb_table.latchkey.name
    LATCHKEY_KEY_VAULT  = "kms"
    LATCHKEY_KMS_KEY_ID = aws_kms_key.latchkey.arn
    LATCHKEY_MAIL_FROM  = var.mail_from
    LATCHKEY_ISSUER     = local.issuer
    # Read by the functions that issue access tokens (login, passkey, token); the last by token only.
    LATCHKEY_ACCESS_TOKEN_TYPE             = var.access_token_type
    LATCHKEY_FIRST_PARTY_CLIENT_ID         = var.first_party_client_id
    LATCHKEY_CLIENT_ASSERTION_MAX_LIFETIME = tostring(var.client_assertion_max_lifetime)
    JAVA_TOOL_OPTIONS                      = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }
}

# ------------------------------------------------------------------ health
# To add a function: copy this module block and its route resources, and
# change name, zip, main_class, definition, policy statements and route keys.

module "health" {
  source = "./modules/function"

  memory_size = 512

  name               = "health"
  description        = "Latchkey health checks (GET /health, /health/live, /health/ready) and the catch-all 404/405 route"
  zip_path           = "${var.lambda_zip_dir}/health/target/latchkey-health-lambda.zip"
  main_class         = "dev.latchkey.functions.health.HealthApplication"
  definition         = "health"
  environment        = local.common_environment
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

  policy_statements = [
    {
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem"]
      Resource = [aws_dynamodb_table.latchkey.arn]
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

resource "aws_apigatewayv2_route" "health_get" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /health"
  target    = "integrations/${module.health.integration_id}"
}

resource "aws_apigatewayv2_route" "health_live" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /health/live"
  target    = "integrations/${module.health.integration_id}"
}

resource "aws_apigatewayv2_route" "health_ready" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /health/ready"
  target    = "integrations/${module.health.integration_id}"
}

# Catch-all: anything no other route matches (answers 404/405 in the standard error body).
resource "aws_apigatewayv2_route" "default" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "$default"
  target    = "integrations/${module.health.integration_id}"
}

# ------------------------------------------------------------------ register

module "register" {
  source = "./modules/function"

  memory_size = 1769

  name        = "register"
  description = "Latchkey sign-up and email verification"
  zip_path    = "${var.lambda_zip_dir}/register/target/latchkey-register-lambda.zip"
  main_class  = "dev.latchkey.functions.register.RegisterApplication"
  definition  = "register"
  environment = merge(local.common_environment, {
    LATCHKEY_REGISTRATION_DISCLOSURE = var.registration_disclosure
  })
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

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

resource "aws_apigatewayv2_route" "register" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/register"
  target    = "integrations/${module.register.integration_id}"
}

resource "aws_apigatewayv2_route" "verify_email" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/email/verify"
  target    = "integrations/${module.register.integration_id}"
}

resource "aws_apigatewayv2_route" "resend_verification" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/email/verify/resend"
  target    = "integrations/${module.register.integration_id}"
}

# ------------------------------------------------------------------ login

module "login" {
  source = "./modules/function"

  memory_size = 1769

  pepper_owner = true

  name               = "login"
  description        = "Latchkey password login, logout, password change and reset, current user and sessions"
  zip_path           = "${var.lambda_zip_dir}/login/target/latchkey-login-lambda.zip"
  main_class         = "dev.latchkey.functions.login.LoginApplication"
  definition         = "login"
  environment        = local.common_environment
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

  policy_statements = [
    # Users, claims, memberships, sessions, refresh tokens, reset challenges, throttles, counters, audit.
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

resource "aws_apigatewayv2_route" "login_password" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/login/password"
  target    = "integrations/${module.login.integration_id}"
}

resource "aws_apigatewayv2_route" "logout" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/logout"
  target    = "integrations/${module.login.integration_id}"
}

resource "aws_apigatewayv2_route" "me" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/users/me"
  target    = "integrations/${module.login.integration_id}"
}

resource "aws_apigatewayv2_route" "change_password" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/users/me/password"
  target    = "integrations/${module.login.integration_id}"
}

resource "aws_apigatewayv2_route" "forgot_password" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/password/forgot"
  target    = "integrations/${module.login.integration_id}"
}

resource "aws_apigatewayv2_route" "reset_password" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/password/reset"
  target    = "integrations/${module.login.integration_id}"
}

resource "aws_apigatewayv2_route" "list_sessions" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/users/me/sessions"
  target    = "integrations/${module.login.integration_id}"
}

resource "aws_apigatewayv2_route" "end_session" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/users/me/sessions/{sessionId}"
  target    = "integrations/${module.login.integration_id}"
}

# ------------------------------------------------------------------ token

module "token" {
  source = "./modules/function"

  pepper_owner = true

  name               = "token"
  description        = "Latchkey OAuth token endpoint and revocation"
  zip_path           = "${var.lambda_zip_dir}/token/target/latchkey-token-lambda.zip"
  main_class         = "dev.latchkey.functions.token.TokenApplication"
  definition         = "token"
  environment        = local.common_environment
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

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

resource "aws_apigatewayv2_route" "introspect" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /oauth/introspect"
  target    = "integrations/${module.token.integration_id}"
}

resource "aws_apigatewayv2_route" "token" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /oauth/token"
  target    = "integrations/${module.token.integration_id}"
}

resource "aws_apigatewayv2_route" "revoke" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /oauth/revoke"
  target    = "integrations/${module.token.integration_id}"
}

# ------------------------------------------------------------------ jwks
# Reads only the signing-key partition: dynamodb:LeadingKeys pins the Query to pk = SIGNING_KEY.

module "jwks" {
  source = "./modules/function"

  memory_size = 512

  name               = "jwks"
  description        = "Latchkey JWKS and issuer metadata (GET /.well-known/...)"
  zip_path           = "${var.lambda_zip_dir}/jwks/target/latchkey-jwks-lambda.zip"
  main_class         = "dev.latchkey.functions.jwks.JwksApplication"
  definition         = "jwks"
  environment        = local.common_environment
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

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

resource "aws_apigatewayv2_route" "jwks" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /.well-known/jwks.json"
  target    = "integrations/${module.jwks.integration_id}"
}

resource "aws_apigatewayv2_route" "openid_configuration" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /.well-known/openid-configuration"
  target    = "integrations/${module.jwks.integration_id}"
}

resource "aws_apigatewayv2_route" "oauth_authorization_server" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /.well-known/oauth-authorization-server"
  target    = "integrations/${module.jwks.integration_id}"
}

# ------------------------------------------------------------------ api-keys
# Queries the table only with dynamodb:LeadingKeys = SIGNING_KEY (public keys, to verify users' access tokens)
# or APIKEY#* (a key family, revoked together); opens only the api-key pepper (never a signing key).

module "api_keys" {
  source = "./modules/function"

  pepper_owner = true

  name               = "api-keys"
  description        = "Latchkey organization API keys and POST /v1/api-keys/verify"
  zip_path           = "${var.lambda_zip_dir}/api-keys/target/latchkey-api-keys-lambda.zip"
  main_class         = "dev.latchkey.functions.apikeys.ApiKeysApplication"
  definition         = "api-keys"
  environment        = local.common_environment
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

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
    # The public signing keys that verify users' access tokens, and a key family's partition (the keys a key
    # made, revoked with it); nothing else of the table.
    {
      Effect    = "Allow"
      Action    = ["dynamodb:Query"]
      Resource  = [aws_dynamodb_table.latchkey.arn]
      Condition = { "ForAllValues:StringLike" = { "dynamodb:LeadingKeys" = ["SIGNING_KEY", "APIKEY#*"] } }
    },
    # Opens the api-key pepper, nothing else.
    {
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = [aws_kms_key.latchkey.arn]
      Condition = {
        StringEquals = {
          "kms:EncryptionContext:latchkey:purpose" = "pepper"
          "kms:EncryptionContext:latchkey:owner"   = ["api-key"]
        }
      }
    },
    # Opens (and on the very first start creates) only these peppers: api-key.
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

resource "aws_apigatewayv2_route" "create_api_key" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/api-keys"
  target    = "integrations/${module.api_keys.integration_id}"
}

resource "aws_apigatewayv2_route" "list_api_keys" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/api-keys"
  target    = "integrations/${module.api_keys.integration_id}"
}

resource "aws_apigatewayv2_route" "api_key_stats" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/api-keys/stats"
  target    = "integrations/${module.api_keys.integration_id}"
}

resource "aws_apigatewayv2_route" "show_api_key" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/api-keys/{keyId}"
  target    = "integrations/${module.api_keys.integration_id}"
}

resource "aws_apigatewayv2_route" "revoke_api_key" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke"
  target    = "integrations/${module.api_keys.integration_id}"
}

resource "aws_apigatewayv2_route" "roll_api_key" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/api-keys/{keyId}/roll"
  target    = "integrations/${module.api_keys.integration_id}"
}

resource "aws_apigatewayv2_route" "delete_api_key" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/api-keys/{keyId}"
  target    = "integrations/${module.api_keys.integration_id}"
}

resource "aws_apigatewayv2_route" "verify_api_key" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/api-keys/verify"
  target    = "integrations/${module.api_keys.integration_id}"
}

# ------------------------------------------------------------------ passkey
# Only this function gets the LATCHKEY_WEBAUTHN_* variables. Query only in a user's partition (their
# passkeys) and the key ring; opens only the signing key and the refresh-token pepper.

module "passkey" {
  source = "./modules/function"

  pepper_owner = true

  name        = "passkey"
  description = "Latchkey passkeys (WebAuthn): registration, login, the user's passkeys"
  zip_path    = "${var.lambda_zip_dir}/passkey/target/latchkey-passkey-lambda.zip"
  main_class  = "dev.latchkey.functions.passkey.PasskeyApplication"
  definition  = "passkey"
  environment = merge(local.common_environment, {
    LATCHKEY_WEBAUTHN_RP_ID             = var.webauthn_rp_id
    LATCHKEY_WEBAUTHN_RP_NAME           = var.webauthn_rp_name
    LATCHKEY_WEBAUTHN_ORIGINS           = join(",", var.webauthn_origins)
    LATCHKEY_WEBAUTHN_USER_VERIFICATION = var.webauthn_user_verification
  })
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

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

resource "aws_apigatewayv2_route" "passkey_register_options" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/passkeys/register/options"
  target    = "integrations/${module.passkey.integration_id}"
}

resource "aws_apigatewayv2_route" "passkey_register_verify" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/passkeys/register/verify"
  target    = "integrations/${module.passkey.integration_id}"
}

resource "aws_apigatewayv2_route" "passkey_login_options" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/passkeys/login/options"
  target    = "integrations/${module.passkey.integration_id}"
}

resource "aws_apigatewayv2_route" "passkey_login_verify" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/auth/passkeys/login/verify"
  target    = "integrations/${module.passkey.integration_id}"
}

resource "aws_apigatewayv2_route" "list_passkeys" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/users/me/passkeys"
  target    = "integrations/${module.passkey.integration_id}"
}

resource "aws_apigatewayv2_route" "rename_passkey" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PATCH /v1/users/me/passkeys/{passkeyId}"
  target    = "integrations/${module.passkey.integration_id}"
}

resource "aws_apigatewayv2_route" "delete_passkey" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/users/me/passkeys/{passkeyId}"
  target    = "integrations/${module.passkey.integration_id}"
}

# ------------------------------------------------------------------ rotate-keys
# Scheduled, no route. Writes the signing-key partition and the system audit partition only;
# seals new private keys (GenerateDataKey with the signing-key encryption context), never opens one.

module "rotate_keys" {
  source = "./modules/function"

  signing_key_writer = true

  name               = "rotate-keys"
  description        = "Latchkey signing-key rotation (EventBridge schedule)"
  zip_path           = "${var.lambda_zip_dir}/rotate-keys/target/latchkey-rotate-keys-lambda.zip"
  main_class         = "dev.latchkey.functions.rotatekeys.RotateKeysApplication"
  definition         = "rotate-keys"
  environment        = local.common_environment
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

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

# The schedule invokes asynchronously: two retries, then the event goes to a queue that raises an alarm.
resource "aws_sqs_queue" "rotate_keys_failures" {
  name                      = "${var.name_prefix}-rotate-keys-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_iam_role_policy" "rotate_keys_failures" {
  name = "failure-destination"
  role = module.rotate_keys.role_name
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
  function_name                = module.rotate_keys.function_name
  qualifier                    = module.rotate_keys.alias_name
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
}

resource "aws_cloudwatch_event_rule" "rotate_keys" {
  name                = "${var.name_prefix}-rotate-keys"
  description         = "Runs the Latchkey signing-key rotation every hour."
  schedule_expression = "rate(1 hour)"
}

resource "aws_cloudwatch_event_target" "rotate_keys" {
  rule = aws_cloudwatch_event_rule.rotate_keys.name
  arn  = module.rotate_keys.alias_arn
}

resource "aws_lambda_permission" "rotate_keys_schedule" {
  statement_id  = "AllowEventBridgeInvoke"
  action        = "lambda:InvokeFunction"
  function_name = module.rotate_keys.function_name
  qualifier     = module.rotate_keys.alias_name # depends on the alias, not a literal "live" that may not exist yet
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.rotate_keys.arn
}

# ------------------------------------------------------------------ orgs
# Organizations, members, invitations, teams, resources and grants, service clients, the audit log. Verifies users'
# access tokens with the public signing keys only; opens the api-key and client-secret peppers, nothing else.

module "orgs" {
  source = "./modules/function"

  pepper_owner = true

  name               = "orgs"
  description        = "Latchkey organizations, members, invitations, teams, resources and grants, service clients, audit log"
  zip_path           = "${var.lambda_zip_dir}/orgs/target/latchkey-orgs-lambda.zip"
  main_class         = "dev.latchkey.functions.orgs.OrgsApplication"
  definition         = "orgs"
  environment        = local.common_environment
  name_prefix        = var.name_prefix
  log_retention_days = var.log_retention_days
  http_api           = true
  api_id             = aws_apigatewayv2_api.latchkey.id
  api_execution_arn  = aws_apigatewayv2_api.latchkey.execution_arn
  table_arn          = aws_dynamodb_table.latchkey.arn
  architecture       = var.architecture
  tracing_mode       = var.tracing_mode

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

resource "aws_apigatewayv2_route" "orgs_post_orgs" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_patch_orgs_by_org_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PATCH /v1/orgs/{orgId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_members" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/members"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_patch_orgs_by_org_id_members_by_user_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PATCH /v1/orgs/{orgId}/members/{userId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_members_by_user_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/members/{userId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_post_orgs_by_org_id_invitations" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/invitations"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_invitations" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/invitations"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_invitations_by_invitation_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/invitations/{invitationId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_post_invitations_accept" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/invitations/accept"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_post_orgs_by_org_id_teams" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/teams"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_teams" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/teams"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_teams_by_team_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/teams/{teamId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_patch_orgs_by_org_id_teams_by_team_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PATCH /v1/orgs/{orgId}/teams/{teamId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_teams_by_team_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/teams/{teamId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_put_orgs_by_org_id_teams_by_team_id_members_by_user_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PUT /v1/orgs/{orgId}/teams/{teamId}/members/{userId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_teams_by_team_id_members_by_user_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/teams/{teamId}/members/{userId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_post_orgs_by_org_id_resources" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/resources"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_resources" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/resources"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_resources_by_resource_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/resources/{resourceId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_patch_orgs_by_org_id_resources_by_resource_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PATCH /v1/orgs/{orgId}/resources/{resourceId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_resources_by_resource_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/resources/{resourceId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_resources_by_resource_id_grants" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/resources/{resourceId}/grants"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_put_orgs_by_org_id_resources_by_resource_id_grants_by_grantee_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PUT /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_resources_by_resource_id_grants_by_grantee_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/resources/{resourceId}/grants/{granteeId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_post_orgs_by_org_id_clients" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/clients"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_clients" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/clients"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_clients_by_client_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/clients/{clientId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_patch_orgs_by_org_id_clients_by_client_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "PATCH /v1/orgs/{orgId}/clients/{clientId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_clients_by_client_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/clients/{clientId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_post_orgs_by_org_id_clients_by_client_id_secrets" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/clients/{clientId}/secrets"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_clients_by_client_id_secrets_by_secret_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/clients/{clientId}/secrets/{secretId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_post_orgs_by_org_id_clients_by_client_id_keys" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "POST /v1/orgs/{orgId}/clients/{clientId}/keys"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_delete_orgs_by_org_id_clients_by_client_id_keys_by_key_id" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "DELETE /v1/orgs/{orgId}/clients/{clientId}/keys/{keyId}"
  target    = "integrations/${module.orgs.integration_id}"
}

resource "aws_apigatewayv2_route" "orgs_get_orgs_by_org_id_audit_events" {
  api_id    = aws_apigatewayv2_api.latchkey.id
  route_key = "GET /v1/orgs/{orgId}/audit-events"
  target    = "integrations/${module.orgs.integration_id}"
}
