# One Lambda function: log group, role, function (SnapStart, published), the wait for the published version to be
# Active, alias "live", and behind the HTTP API its AWS_PROXY integration (payload 2.0) to the alias and the one
# permission for API Gateway to invoke the alias. The root module instantiates this once per declared function
# (for_each over terraform/routes.json) and declares the routes.

locals {
  function_name = "${var.name_prefix}-${var.name}"
}

data "aws_region" "current" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${local.function_name}-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

# Equivalent of AWSLambdaBasicExecutionRole, scoped to this function's log group.
resource "aws_iam_role_policy" "logs" {
  name = "logs"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      },
    ]
  })
}

resource "aws_iam_role_policy" "app" {
  name = "app"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = var.policy_statements
  })
}

# Audit events are append-only (ASVS 16.4): a function may add one (PutItem with attribute_not_exists in code) but
# never change or delete one. An explicit Deny wins over any Allow of policy_statements.
resource "aws_iam_role_policy" "audit_append_only" {
  name = "audit-append-only"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Deny"
        Action    = ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
        Resource  = [var.table_arn]
        Condition = { "ForAnyValue:StringLike" = { "dynamodb:LeadingKeys" = ["AUDIT#*"] } }
      },
    ]
  })
}

# Key material (issue #19), the same three Deny policies as template.yaml. Every function trusts what jwks publishes:
# only the signing-key writer (rotate-keys) may write the SIGNING_KEY partition.
resource "aws_iam_role_policy" "signing_key_write_deny" {
  count = var.signing_key_writer ? 0 : 1
  name  = "signing-key-write-deny"
  role  = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Deny"
        Action    = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
        Resource  = [var.table_arn]
        Condition = { "ForAnyValue:StringLike" = { "dynamodb:LeadingKeys" = ["SIGNING_KEY"] } }
      },
    ]
  })
}

# Peppers (pk SECRET) are created once by a conditional PutItem and never changed or deleted.
resource "aws_iam_role_policy" "pepper_write_deny" {
  name = "pepper-write-deny"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Deny"
        Action    = ["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
        Resource  = [var.table_arn]
        Condition = { "ForAnyValue:StringLike" = { "dynamodb:LeadingKeys" = ["SECRET"] } }
      },
    ]
  })
}

# Only a pepper owner creates a pepper; which one it may seal is the KMS owner condition of its own statements.
resource "aws_iam_role_policy" "pepper_create_deny" {
  count = var.pepper_owner ? 0 : 1
  name  = "pepper-create-deny"
  role  = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Deny"
        Action    = ["dynamodb:PutItem"]
        Resource  = [var.table_arn]
        Condition = { "ForAnyValue:StringLike" = { "dynamodb:LeadingKeys" = ["SECRET"] } }
      },
    ]
  })
}

# X-Ray (both tracing modes may send segments); the xray actions take no resource-level permissions.
resource "aws_iam_role_policy" "xray" {
  name = "xray"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"]
      },
    ]
  })
}

resource "aws_lambda_function" "this" {
  function_name    = local.function_name
  description      = var.description
  role             = aws_iam_role.this.arn
  runtime          = "java21"
  architectures    = [var.architecture]
  handler          = var.handler
  filename         = var.zip_path
  source_code_hash = filebase64sha256(var.zip_path)
  memory_size      = var.memory_size
  timeout          = var.timeout
  publish          = true

  snap_start {
    apply_on = "PublishedVersions"
  }

  tracing_config {
    mode = var.tracing_mode
  }

  environment {
    variables = merge(var.environment, {
      MAIN_CLASS                       = var.main_class
      SPRING_CLOUD_FUNCTION_DEFINITION = var.definition
    })
  }

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy.logs,
  ]
}

# SnapStart (issue #19 item 6): a published version stays Pending while Lambda makes its snapshot, and invoking it
# fails meanwhile. The provider waits for that on updates but not on a function's first publish
# (hashicorp/terraform-provider-aws#42693), so without this a first apply could move live to a version that cannot
# run yet. The AWS CLI's documented waiter polls GetFunctionConfiguration until the version's State is Active (or
# fails the apply when it is Failed); the alias takes the version from this resource's output, so it moves only after.
# Needs the AWS CLI v2 on the machine running terraform, with the same credentials; wait_for_snapstart = false skips it.
resource "terraform_data" "version_active" {
  count = var.wait_for_snapstart ? 1 : 0

  input            = aws_lambda_function.this.version
  triggers_replace = [aws_lambda_function.this.version]

  provisioner "local-exec" {
    command = "aws lambda wait published-version-active --region ${data.aws_region.current.region} --function-name ${aws_lambda_function.this.function_name} --qualifier ${aws_lambda_function.this.version}"
  }
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.this.function_name
  function_version = var.wait_for_snapstart ? terraform_data.version_active[0].output : aws_lambda_function.this.version
}

resource "aws_apigatewayv2_integration" "this" {
  count                  = var.http_api ? 1 : 0
  api_id                 = var.api_id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_alias.live.arn
  payload_format_version = "2.0"
}

# One permission per function, never one per route (issue #19 item 8): the source ARN pattern covers every route and
# stage of this API, so the resource policy stays one statement however many routes the function serves.
resource "aws_lambda_permission" "api" {
  count         = var.http_api ? 1 : 0
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = aws_lambda_alias.live.name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${var.api_execution_arn}/*"
}
