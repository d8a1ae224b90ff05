# The oldest Terraform the module is tested with, and the AWS provider from 5.100 (planned and
# applied in its tests) through 6.x (every name it sets is checked against the 6.x schema): no
# ceiling below 7, so a root on `~> 6.0` can call it.
terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 7.0.0"
    }
  }
}
