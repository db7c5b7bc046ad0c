terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # State: without a backend it is the local file terraform.tfstate - fine for one person trying Latchkey, not for a
  # team or CI (no locking, lost with the checkout). For real use, create a versioned S3 bucket first and uncomment
  # this before the first apply (or run `terraform init -migrate-state` after); use_lockfile is S3's native state
  # lock (Terraform >= 1.10, no DynamoDB lock table). Backend blocks take no variables: write the values in.
  #
  # backend "s3" {
  #   bucket       = "<state bucket>"
  #   key          = "latchkey/terraform.tfstate"
  #   region       = "<bucket region>"
  #   encrypt      = true
  #   use_lockfile = true
  # }
}

# Region and credentials come from the environment (AWS_REGION, AWS_PROFILE, ...).
provider "aws" {
  default_tags {
    tags = {
      Project = "latchkey"
    }
  }
}

# CloudFront-scoped AWS WAF web ACLs exist only in us-east-1 (edge.tf); same credentials, fixed region.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = {
      Project = "latchkey"
    }
  }
}
