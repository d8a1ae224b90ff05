# The task bucket: versioned, encrypted (SSE-S3, or SSE-KMS with storage.kms_key_arn), TLS only,
# no public access, old versions and incomplete uploads expired. With adopt.existing_bucket_name
# the module creates none of it and uses that bucket as it is.

locals {
  data_bucket_policy_statements = [
    {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = ["s3:*"]
      Resource = [
        "arn:${local.partition}:s3:::${local.bucket_name}",
        "arn:${local.partition}:s3:::${local.bucket_name}/*",
      ]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    },
  ]
  data_bucket_policy = {
    Version   = "2012-10-17"
    Statement = concat(local.data_bucket_policy_statements, local.access_bucket_statements)
  }
}

resource "aws_s3_bucket" "data" {
  count = var.adopt.existing_bucket_name == null ? 1 : 0

  bucket = local.bucket_name
  tags   = var.tags

  lifecycle {
    prevent_destroy = false
  }
}

resource "aws_s3_bucket_versioning" "data" {
  count = var.adopt.existing_bucket_name == null ? 1 : 0

  bucket = one(aws_s3_bucket.data[*].id)

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  count = var.adopt.existing_bucket_name == null ? 1 : 0

  bucket = one(aws_s3_bucket.data[*].id)

  rule {
    bucket_key_enabled = var.storage.kms_key_arn != null

    apply_server_side_encryption_by_default {
      kms_master_key_id = var.storage.kms_key_arn != null ? var.storage.kms_key_arn : null
      sse_algorithm     = var.storage.kms_key_arn != null ? "aws:kms" : "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  count = var.adopt.existing_bucket_name == null ? 1 : 0

  block_public_acls       = true
  block_public_policy     = true
  bucket                  = one(aws_s3_bucket.data[*].id)
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "data" {
  count = var.adopt.existing_bucket_name == null ? 1 : 0

  bucket = one(aws_s3_bucket.data[*].id)

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "data" {
  count = var.adopt.existing_bucket_name == null ? 1 : 0

  bucket = one(aws_s3_bucket.data[*].id)
  policy = jsonencode(local.data_bucket_policy)

  depends_on = [aws_s3_bucket_public_access_block.data]
}

resource "aws_s3_bucket_lifecycle_configuration" "data" {
  count = var.adopt.existing_bucket_name == null ? 1 : 0

  bucket = one(aws_s3_bucket.data[*].id)

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    expiration {
      expired_object_delete_marker = true
    }
    filter {
      prefix = ""
    }
    noncurrent_version_expiration {
      noncurrent_days = var.storage.noncurrent_version_expiration_days
    }
  }

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    abort_incomplete_multipart_upload {
      days_after_initiation = var.storage.abort_incomplete_multipart_upload_days
    }
    filter {
      prefix = ""
    }
  }

  depends_on = [aws_s3_bucket.data]
}
