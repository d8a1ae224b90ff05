# The environment's own tasks: each a function of its own, from the zip the package's bundle command
# built before `terraform plan` (npx scheduled-task-processing bundle <entry> --out <zip>), granted the
# run protocol's areas named for the task and exactly the prefixes it declares (core/own-task-access.ts),
# in the statements the stacks write (modules/constructs/storage.ts, GRANT_KINDS).

locals {
  task_bucket_arn = "arn:${local.partition}:s3:::${local.bucket_name}"
  # Each kind of access: the protocol's areas that get it (<task>: the task's name), and whether its reads or its writes do.
  task_grant_kinds = {{grant_kinds}}
  task_grants = { for name, t in var.tasks : name => [for k in local.task_grant_kinds : {
    sid = k.sid, actions = k.actions, listing = k.listing
    prefixes = concat([for area in k.areas : replace(area, "<task>", name)], k.reads ? t.reads : [], k.writes ? t.writes : [])
  }] }
  task_object_statements = { for name, grants in local.task_grants : name => [for g in grants : {
    Sid = g.sid, Effect = "Allow", Action = g.actions, Resource = [for p in g.prefixes : "${local.task_bucket_arn}/${p}*"]
  } if !g.listing && length(g.prefixes) > 0] }
  task_list_statements = { for name, grants in local.task_grants : name => [for g in grants : {
    Sid = g.sid, Effect = "Allow", Action = g.actions, Resource = [local.task_bucket_arn]
    Condition = { StringLike = { "s3:prefix" = [for p in g.prefixes : "${p}*"] } }
  } if g.listing && length(g.prefixes) > 0] }
  # The processor's settings where a task leaves its own out.
  task_settings = { for name, t in var.tasks : name => {
    memoryMb         = coalesce(t.memory_mb, var.processor.memory_mb)
    timeoutSeconds   = coalesce(t.timeout_seconds, var.processor.timeout_seconds)
    logRetentionDays = coalesce(t.log_retention_days, var.processor.log_retention_days)
  } }
  # Each task's own log group, for its role's policy (apart from task_specs, which the log groups are made from).
  task_log_statements = { for name, group in aws_cloudwatch_log_group.task : name => [{
    Sid = "WriteOwnLogs", Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = ["${group.arn}:log-stream:*"]
  }] }
  task_specs = { for name, t in var.tasks : name => merge(local.task_settings[name], {
    functionName     = "${local.name_prefix}-task-${name}"
    description      = "Runs the own task ${name} of ${var.environment}"
    filename         = t.zip
    sourceCodeHash   = filebase64sha256(t.zip)
    bucketStatements = concat(local.task_object_statements[name], local.task_list_statements[name])
  }) }
}
