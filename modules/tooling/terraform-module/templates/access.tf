# Who else writes data in and reads results (var.access), as the stacks' code computes it
# (modules/constructs/support/access-grants.ts): principals of other accounts in the bucket
# policy, a managed policy for those of this account.

locals {
  # Each grant's statement ids start with Producer<Name> or Reader<Name>, the name in CamelCase.
  access_camel_names = {
    for name in concat(var.access.producers[*].name, var.access.readers[*].name) : name => replace(title(replace(name, "-", " ")), " ", "")
  }
  access_bucket_arn = "arn:${local.partition}:s3:::${local.bucket_name}"
  # aws:PrincipalOrgID on cross-account statements, when an organization is given (0 or 1 entries).
  # (A for with a filter, since a conditional between {} and an object has no single type.)
  access_org_condition = {
    for k, v in { StringEquals = { "aws:PrincipalOrgID" = var.access.organization_id } } : k => v if var.access.organization_id != null
  }
  access_org_guard = { for k, v in { Condition = local.access_org_condition } : k => v if length(local.access_org_condition) > 0 }

  # Principals of this account get a managed policy; those of other accounts the bucket policy's statements.
  access_principals = merge(
    { for p in var.access.producers : p.name => p.principals },
    { for r in var.access.readers : r.name => r.principals },
  )
  access_others = { for name, principals in local.access_principals : name => [for a in principals : a if split(":", a)[4] != local.account_id] }
  access_own    = { for name, principals in local.access_principals : name => [for a in principals : a if split(":", a)[4] == local.account_id] }

  access_producers = [for p in var.access.producers : {
    name       = p.name
    sid        = "Producer${local.access_camel_names[p.name]}"
    principals = p.principals
    others     = local.access_others[p.name]
    own        = local.access_own[p.name]
    resources  = ["${local.access_bucket_arn}/incoming/${p.prefix}*"]
    guarded    = p.require_kms && var.storage.kms_key_arn != null
  }]
  access_readers = [for r in var.access.readers : {
    name      = r.name
    sid       = "Reader${local.access_camel_names[r.name]}"
    others    = local.access_others[r.name]
    own       = local.access_own[r.name]
    resources = [for x in r.prefixes : "${local.access_bucket_arn}/${x}*"]
    listed    = [for x in r.prefixes : "${x}*"]
  }]

  # The bucket policy's statements for principals of other accounts.
  access_upload_statements = [for p in local.access_producers : merge({
    Sid = "${p.sid}Upload", Effect = "Allow", Principal = { AWS = p.others },
    Action = ["s3:PutObject", "s3:AbortMultipartUpload"], Resource = p.resources
  }, local.access_org_guard) if length(p.others) > 0]
  access_require_key_statements = [for p in local.access_producers : {
    Sid = "${p.sid}RequireBucketKey", Effect = "Deny", Principal = { AWS = p.principals }, Action = ["s3:PutObject"],
    Resource = p.resources, Condition = { StringNotEquals = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = var.storage.kms_key_arn } }
  } if p.guarded]
  access_read_statements = [for r in local.access_readers : merge({
    Sid = "${r.sid}Read", Effect = "Allow", Principal = { AWS = r.others }, Action = ["s3:GetObject"], Resource = r.resources
  }, local.access_org_guard) if length(r.others) > 0]
  access_list_statements = [for r in local.access_readers : {
    Sid = "${r.sid}List", Effect = "Allow", Principal = { AWS = r.others }, Action = ["s3:ListBucket"], Resource = [local.access_bucket_arn],
    Condition = merge({ StringLike = { "s3:prefix" = r.listed } }, local.access_org_condition)
  } if length(r.others) > 0]
  access_bucket_statements = concat(
    local.access_upload_statements, local.access_require_key_statements, local.access_read_statements, local.access_list_statements
  )

  # The managed policies for principals of this account, by grant name.
  access_key_arns = compact([var.storage.kms_key_arn])
  access_producer_statements = { for p in local.access_producers : p.name => concat(
    [{ Sid = "${p.sid}Upload", Effect = "Allow", Action = ["s3:PutObject", "s3:AbortMultipartUpload"], Resource = p.resources }],
    [for key in local.access_key_arns : { Sid = "${p.sid}UseBucketKey", Effect = "Allow", Action = ["kms:GenerateDataKey"], Resource = [key] }],
  ) }
  access_reader_lists = { for r in local.access_readers : r.name => {
    Sid = "${r.sid}List", Effect = "Allow", Action = ["s3:ListBucket"], Resource = [local.access_bucket_arn],
    Condition = { StringLike = { "s3:prefix" = r.listed } }
  } }
  access_reader_statements = { for r in local.access_readers : r.name => concat(
    [{ Sid = "${r.sid}Read", Effect = "Allow", Action = ["s3:GetObject"], Resource = r.resources }],
    [local.access_reader_lists[r.name]],
    [for key in local.access_key_arns : { Sid = "${r.sid}UseBucketKey", Effect = "Allow", Action = ["kms:Decrypt"], Resource = [key] }],
  ) }
  access_producer_policies = {
    for p in local.access_producers : p.name => { policy = jsonencode({ Version = "2012-10-17", Statement = local.access_producer_statements[p.name] }) } if length(p.own) > 0
  }
  access_reader_policies = {
    for r in local.access_readers : r.name => { policy = jsonencode({ Version = "2012-10-17", Statement = local.access_reader_statements[r.name] }) } if length(r.own) > 0
  }
}
