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
}

variable "mail_from" {
  description = "Sender address of Latchkey's mail (verification, password reset), verified in SES in this region."
  type        = string

  validation {
    condition     = can(regex("^[^\\s@<>\"]+@[A-Za-z0-9.-]+$", var.mail_from))
    error_message = "mail_from must be a plain address such as no-reply@example.com."
  }
}

variable "lambda_zip_dir" {
  description = "Directory holding the Maven modules of the functions (each zip is <dir>/<name>/target/latchkey-<name>-lambda.zip)."
  type        = string
  default     = "../functions"
}
