# The task bucket: versioned, encrypted (SSE-S3, or SSE-KMS with storage.kms_key_arn), TLS only,
# no public access, old versions and incomplete uploads expired. With adopt.existing_bucket_name
# the module creates none of it and uses that bucket as it is.
