terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.31.0"
    }
{% if apis %}
    archive = {
      source  = "hashicorp/archive"
      version = "2.7.1"
    }
{% endif %}
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}
