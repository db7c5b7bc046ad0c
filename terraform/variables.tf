variable "table_name" {
  description = "Name of the single DynamoDB table."
  type        = string
  default     = "latchkey"
}

variable "log_retention_days" {
  description = "Retention of the API access logs and the function logs, in days."
  type        = number
  default     = 30
}

variable "name_prefix" {
  description = "Prefix for the names of the API, functions, roles, log groups and the KMS alias."
  type        = string
  default     = "latchkey"
}

variable "issuer_url" {
  description = "Token issuer (iss), e.g. https://id.example.com. Empty = the API endpoint (https://<api-id>.execute-api.<region>.amazonaws.com)."
  type        = string
  default     = ""

  # The AllowedPattern of template.yaml's IssuerUrl (https, a host, no trailing slash, query or fragment), or empty.
  validation {
    condition     = can(regex("^(https://[^/?#\\s]+(/[^?#\\s]*[^/?#\\s])?)?$", var.issuer_url))
    error_message = "issuer_url must be https://<host>[/<path>] without a trailing slash, query or fragment, or empty."
  }
}

variable "mail_from" {
  description = "Sender address of Latchkey's mail (verification, password reset), verified in SES in this region."
  type        = string

  validation {
    condition     = can(regex("^[^\\s@<>\"]+@[A-Za-z0-9.-]+$", var.mail_from))
    error_message = "mail_from must be a plain address such as no-reply@example.com."
  }
}

variable "webauthn_rp_id" {
  description = "Passkeys: the WebAuthn relying party id, a domain such as example.com (passkeys work on it and its subdomains). Empty = the issuer's host. Changing it later orphans every registered passkey."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)?$", var.webauthn_rp_id))
    error_message = "webauthn_rp_id must be a lower-case domain name such as example.com (no scheme, port or path), or empty."
  }
}

variable "webauthn_rp_name" {
  description = "Passkeys: the relying party name that authenticators show next to a passkey."
  type        = string
  default     = "Latchkey"
}

variable "webauthn_origins" {
  description = "Passkeys: the origins ceremonies may come from - web origins inside the RP id (https://app.example.com) and native apps (android:apk-key-hash:<base64url SHA-256 of the signing certificate>). Empty = the issuer's origin. See docs/passkeys.md."
  type        = list(string)
  default     = []
}

variable "webauthn_user_verification" {
  description = "Passkeys: whether ceremonies require user verification (PIN, biometrics): required or preferred."
  type        = string
  default     = "required"

  validation {
    condition     = contains(["required", "preferred"], var.webauthn_user_verification)
    error_message = "webauthn_user_verification must be required or preferred."
  }
}

variable "passkey_recent_auth_seconds" {
  description = "Passkeys: how recently (seconds) the user must have signed in to add a passkey or confirm a suspected clone."
  type        = number
  default     = 300

  validation {
    condition     = var.passkey_recent_auth_seconds >= 30 && var.passkey_recent_auth_seconds <= 86400
    error_message = "passkey_recent_auth_seconds must be within 30..86400."
  }
}

variable "passkey_register_per_user_hourly" {
  description = "Passkeys: registration attempts per user per hour."
  type        = number
  default     = 10

  validation {
    condition     = var.passkey_register_per_user_hourly >= 1 && var.passkey_register_per_user_hourly <= 1000
    error_message = "passkey_register_per_user_hourly must be within 1..1000."
  }
}

variable "passkey_register_per_ip_hourly" {
  description = "Passkeys: registration attempts per source IP per hour."
  type        = number
  default     = 30

  validation {
    condition     = var.passkey_register_per_ip_hourly >= 1 && var.passkey_register_per_ip_hourly <= 100000
    error_message = "passkey_register_per_ip_hourly must be within 1..100000."
  }
}

variable "access_token_type" {
  description = "The typ header of access tokens: JWT (what unconfigured resource servers accept) or at+jwt (RFC 9068)."
  type        = string
  default     = "JWT"

  validation {
    condition     = contains(["JWT", "at+jwt"], var.access_token_type)
    error_message = "access_token_type must be JWT or at+jwt."
  }
}

variable "first_party_client_id" {
  description = "The client_id claim of user access tokens from Latchkey's own login."
  type        = string
  default     = "latchkey"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9.~-]{0,63}$", var.first_party_client_id))
    error_message = "first_party_client_id must be 1-64 letters, digits, '.', '~' or '-' (no '_'), starting with a letter or digit."
  }
}

variable "client_assertion_max_lifetime" {
  description = "Longest accepted client assertion (exp - iat), in seconds; each jti is kept until its exp."
  type        = number
  default     = 3600

  validation {
    condition     = var.client_assertion_max_lifetime >= 60 && var.client_assertion_max_lifetime <= 86400
    error_message = "client_assertion_max_lifetime must be 60 to 86400 seconds."
  }
}

variable "registration_disclosure" {
  description = "Sign-up: explicit answers 409 for a taken address; silent answers the same 202 for a new and a taken address and mails the owner of a taken one instead."
  type        = string
  default     = "explicit"

  validation {
    condition     = contains(["explicit", "silent"], var.registration_disclosure)
    error_message = "registration_disclosure must be explicit or silent."
  }
}

variable "lambda_zip_dir" {
  description = "Directory holding the Maven modules of the functions (each zip is <dir>/<name>/target/latchkey-<name>-lambda.zip)."
  type        = string
  default     = "../functions"
}

variable "architecture" {
  description = "Instruction set of every function: x86_64 or arm64 (Graviton: SnapStart supported, about 20% cheaper per GB-second)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing of every function: PassThrough (only requests an upstream sampled) or Active."
  type        = string
  default     = "PassThrough"

  validation {
    condition     = contains(["PassThrough", "Active"], var.tracing_mode)
    error_message = "tracing_mode must be PassThrough or Active."
  }
}

variable "domain_name" {
  description = "Optional custom domain of the API, e.g. id.example.com (needs certificate_arn). The issuer is then https://<domain_name> unless issuer_url says otherwise; point DNS at the domain_target output (with the edge: at edge_domain_target)."
  type        = string
  default     = ""

  # The AllowedPattern of template.yaml's DomainName, or empty.
  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+)?$", var.domain_name))
    error_message = "domain_name must be a lower-case domain name such as id.example.com (no scheme, port or path), or empty."
  }
}

variable "certificate_arn" {
  description = "ACM certificate (in this region) for the API's custom domain: domain_name, or edge_origin_domain_name with the edge."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+)?$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN, or empty."
  }
}

variable "wait_for_snapstart" {
  description = "Before the live alias moves, wait until the published SnapStart version is Active (runs `aws lambda wait published-version-active`: needs the AWS CLI v2 where terraform runs)."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "Optional address the rotate-keys failure alarm notifies, through an SNS topic this configuration creates (SNS first mails a confirmation link). Ignored when alarm_topic_arn is given."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([^\\s@<>\"]+@[A-Za-z0-9.-]+)?$", var.alarm_email))
    error_message = "alarm_email must be a plain address such as ops@example.com, or empty."
  }
}

variable "alarm_topic_arn" {
  description = "Optional existing SNS topic the rotate-keys failure alarm notifies (wins over alarm_email)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+)?$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN, or empty."
  }
}

variable "edge_enabled" {
  description = "Optional edge: CloudFront with an AWS WAF web ACL in front of the API, the execute-api endpoint disabled. Needs domain_name, certificate_arn, edge_origin_domain_name and edge_certificate_arn."
  type        = bool
  default     = false
}

variable "edge_origin_domain_name" {
  description = "With the edge: the API's own custom domain CloudFront forwards to, e.g. origin.id.example.com (covered by certificate_arn; point its DNS at domain_target)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+)?$", var.edge_origin_domain_name))
    error_message = "edge_origin_domain_name must be a lower-case domain name, or empty."
  }
}

variable "edge_certificate_arn" {
  description = "With the edge: ACM certificate for domain_name in us-east-1 (CloudFront takes certificates from there only)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[A-Za-z0-9-]+)?$", var.edge_certificate_arn))
    error_message = "edge_certificate_arn must be an ACM certificate ARN in us-east-1, or empty."
  }
}

variable "edge_origin_secret" {
  description = "With the edge: the secret CloudFront adds to every origin request (header x-latchkey-edge-secret) and the functions require (LATCHKEY_EDGE_ORIGIN_SECRET); 32+ visible ASCII characters, e.g. openssl rand -hex 32. A request without it went around the web ACL and is refused; the client address is then CloudFront-Viewer-Address."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = can(regex("^([!-~]{32,})?$", var.edge_origin_secret))
    error_message = "edge_origin_secret must be at least 32 visible ASCII characters without spaces (e.g. openssl rand -hex 32), or empty."
  }
}

variable "edge_sign_in_rate_limit" {
  description = "With the edge: requests per client IP in 5 minutes to the sign-in and token routes before WAF blocks that IP there."
  type        = number
  default     = 300

  validation {
    condition     = var.edge_sign_in_rate_limit >= 100 && var.edge_sign_in_rate_limit <= 2000000000
    error_message = "edge_sign_in_rate_limit must be 100 to 2,000,000,000."
  }
}

variable "edge_price_class" {
  description = "With the edge: the CloudFront price class (PriceClass_100, PriceClass_200 or PriceClass_All)."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.edge_price_class)
    error_message = "edge_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "cors_allowed_origins" {
  description = "CORS: the browser origins that may call the API (LATCHKEY_CORS_ALLOWED_ORIGINS), exact lower-case origins such as https://app.example.com, no wildcard. Empty = CORS off. API Gateway answers preflights itself (cors_configuration)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : can(regex("^https?://[a-z0-9.-]+(:[0-9]{1,5})?$", o))])
    error_message = "cors_allowed_origins: each entry an exact origin such as https://app.example.com (lower case, no path, no wildcard)."
  }
}

variable "cors_max_age" {
  description = "CORS: seconds a browser may cache a preflight answer (LATCHKEY_CORS_MAX_AGE_SECONDS)."
  type        = number
  default     = 600

  validation {
    condition     = var.cors_max_age >= 0 && var.cors_max_age <= 86400
    error_message = "cors_max_age must be 0..86400."
  }
}

variable "cors_allow_credentials" {
  description = "CORS: whether browsers may send cookies with cross-origin requests (LATCHKEY_CORS_ALLOW_CREDENTIALS)."
  type        = bool
  default     = false
}

variable "limits" {
  description = "Lifetimes, throttles and rate limits: lower-case name without LATCHKEY_ => number (docs/configuration.md \"Limits and lifetimes\"), e.g. { oauth_token_per_minute = 5000 }. Ranges are checked by each function at init."
  type        = map(number)
  default     = {}

  validation {
    condition = alltrue([for name in keys(var.limits) : contains([
      "access_token_lifetime_seconds", "session_idle_seconds", "session_absolute_seconds",
      "refresh_reuse_grace_seconds", "oauth_token_per_minute", "oauth_introspect_per_minute",
      "login_free_failures", "login_max_delay_seconds", "login_hard_stop_failures", "login_per_ip_per_15_minutes",
      "register_per_ip_per_hour", "signup_mails_per_address_per_day", "resend_per_ip_per_hour",
      "resend_per_address_per_hour", "forgot_per_ip_per_hour", "forgot_per_address_per_hour",
      "passkey_options_per_ip_per_minute", "passkey_verify_per_ip_per_minute", "passkey_challenge_seconds",
      "key_rotation_days", "key_publish_lead_seconds", "jwks_max_age_seconds", "key_retention_seconds",
      "argon2_memory_kib", "argon2_iterations", "argon2_parallelism", "token_cache_seconds",
    ], name)])
    error_message = "limits: every key must be one of the limit variables of docs/configuration.md, lower case, without latchkey_."
  }
}
