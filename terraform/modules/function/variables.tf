variable "name" {
  description = "Short function name, e.g. \"health\" (the function is <name_prefix>-<name>)."
  type        = string
}

variable "description" {
  description = "Lambda function description."
  type        = string
  default     = ""
}

variable "zip_path" {
  description = "Path of the deployment zip built by Maven."
  type        = string
}

variable "main_class" {
  description = "Spring Boot application class (MAIN_CLASS)."
  type        = string
}

variable "definition" {
  description = "Spring Cloud Function definition (SPRING_CLOUD_FUNCTION_DEFINITION)."
  type        = string
}

variable "environment" {
  description = "Environment variables common to all functions (LATCHKEY_*)."
  type        = map(string)
}

variable "policy_statements" {
  description = "Least-privilege IAM policy statements (objects with Effect, Action, Resource)."
  type        = any
}

variable "table_arn" {
  description = "The Latchkey table: every function is denied changing or deleting its audit events (AUDIT# items)."
  type        = string
}

variable "signing_key_writer" {
  description = "True only for rotate-keys: every other function is denied writing the SIGNING_KEY partition."
  type        = bool
  default     = false
}

variable "pepper_owner" {
  description = "True for a function that creates a pepper (login, token, api-keys, passkey, orgs); the others are denied PutItem on the SECRET partition."
  type        = bool
  default     = false
}

variable "name_prefix" {
  type = string
}

variable "log_retention_days" {
  type = number
}

# A plain boolean known at plan time decides whether the integration and the invoke permission exist: count over
# the API's id would fail on a fresh state ("Invalid count argument"), the id being known only after apply.
variable "http_api" {
  description = "True for a function behind the HTTP API (integration and invoke permission); false for a scheduled one."
  type        = bool
  default     = false
}

variable "api_id" {
  description = "HTTP API id the integration belongs to; empty for a function no route invokes (scheduled)."
  type        = string
  default     = ""
}

variable "api_execution_arn" {
  description = "HTTP API execution ARN (for the invoke permission); empty without an API."
  type        = string
  default     = ""
}

variable "handler" {
  type    = string
  default = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"
}

variable "architecture" {
  description = "x86_64 or arm64."
  type        = string
  default     = "x86_64"
}

variable "tracing_mode" {
  description = "X-Ray tracing: PassThrough or Active."
  type        = string
  default     = "PassThrough"
}

variable "memory_size" {
  type    = number
  default = 1024
}

variable "timeout" {
  type    = number
  default = 15
}

variable "wait_for_snapstart" {
  description = "Wait (AWS CLI: aws lambda wait published-version-active) until the published SnapStart version is Active before the alias moves to it."
  type        = bool
  default     = true
}
