# What every file of the module uses: the account, region and partition it deploys to, and the
# names of its resources (`<project_name>-<environment>-<role>`).

data "aws_caller_identity" "current" {
  # Looked up only when account_id is not given (a plan without credentials gives it).
  count = var.account_id == null ? 1 : 0
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  name_prefix = "${var.project_name}-${var.environment}"
  account_id  = var.account_id != null ? var.account_id : one(data.aws_caller_identity.current[*].account_id)
  # `id` is the region's name in every provider major; `name` is deprecated in 6.x.
  region    = data.aws_region.current.id
  partition = data.aws_partition.current.partition
  # The functions' zips, built for each runtime's Node major: var.processor.runtime picks the folder and hashes.
  function_zips = {
    "nodejs22.x" = {
      folder          = "functions"
      processor       = "r5cfiCvN8xI5JhNVAPHJu6dxJe8XLuHJNiuY67lgxxs="
      failure_handler = "vMBh5Fv57es9q+4GYIVx3o3vyHYg8TdRSDZ+D+zVLPM="
      schedule_api    = "IuQNfELh53a1emIusy81OzDubOMwju0wK8CloDNzxLs="
    }
    "nodejs24.x" = {
      folder          = "functions/node24"
      processor       = "r5cfiCvN8xI5JhNVAPHJu6dxJe8XLuHJNiuY67lgxxs="
      failure_handler = "vMBh5Fv57es9q+4GYIVx3o3vyHYg8TdRSDZ+D+zVLPM="
      schedule_api    = "IuQNfELh53a1emIusy81OzDubOMwju0wK8CloDNzxLs="
    }
  }
  function_code = local.function_zips[var.processor.runtime]
  # Global, so the account keeps it unique across tenants.
  bucket_name = coalesce(var.adopt.existing_bucket_name, var.storage.bucket_name, "${local.name_prefix}-data-${local.account_id}")
}
