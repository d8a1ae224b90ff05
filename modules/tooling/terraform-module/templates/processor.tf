# The processor: the function that runs the tasks, its role, log group and retries, the queue of
# events it failed, and the work queue a large run spreads over.

# What one processor invocation takes on before a run spreads over the work queue: the stacks'
# sizing (core/fan-out-sizing.ts) in HCL, unless fan_out sets it.

locals {
  # Half the time left after the reserve ({{reserve_seconds}} s, at most half the timeout).
  working_seconds = max(1, (var.processor.timeout_seconds - min({{reserve_seconds}}, var.processor.timeout_seconds / 2)) / 2)
  # Small sources, {{seconds_per_small_source}} s each, `concurrency` at a time.
  sources_per_invocation = coalesce(
    var.fan_out.sources_per_invocation,
    min({{max_sources}}, max({{min_sources}}, floor(local.working_seconds * var.processor.concurrency / {{seconds_per_small_source}})))
  )
  # {{bytes_per_second_per_vcpu}} bytes a second for a full vCPU ({{vcpu_memory_mb}} MB of memory).
  bytes_per_invocation = coalesce(
    var.fan_out.bytes_per_invocation,
    max({{min_bytes}}, floor(local.working_seconds * {{bytes_per_second_per_vcpu}} * min(1, var.processor.memory_mb / {{vcpu_memory_mb}})))
  )
}
