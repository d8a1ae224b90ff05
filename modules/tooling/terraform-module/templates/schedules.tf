# Each schedule as its resource needs it: the event it sends (the task, the payload under the
# keys the processor reads, Scheduler's context attributes), its state, window and retries.

locals {
  # The payload as the processor reads it: camelCase keys, the fields left out absent.
  schedule_payloads = { for s in var.schedules : s.name => merge(
    { for k, v in { prefix = s.payload.prefix } : k => v if v != null },
    { for k, v in { requiredFields = s.payload.required_fields } : k => v if v != null },
    { for k, v in { notifyOnSuccess = s.payload.notify_on_success } : k => v if v != null },
    { for k, v in { periodHours = s.payload.period_hours } : k => v if v != null },
  ) }

  # jsonencode writes < and > as \u003c and \u003e (hashicorp/terraform#38733) and Scheduler
  # substitutes only the literal placeholders, so its context attributes join the encoded rest
  # as literal JSON text. A payload stays in jsonencode: its own text is escaped there as JSON.
  schedule_inputs = { for s in var.schedules : s.name => format("%s,%s}", trimsuffix(jsonencode({
    task_type   = s.task
    payload     = local.schedule_payloads[s.name]
    schedule    = s.name
    environment = var.environment
  }), "}"), {{scheduler_context}}) }

  schedule_timing = { for s in var.schedules : s.name => {
    description = s.description
    expression  = s.expression
    timezone    = s.timezone
    state       = s.enabled ? "ENABLED" : "DISABLED"
    startDate   = s.start_date
    endDate     = s.end_date
  } }
  schedule_delivery = { for s in var.schedules : s.name => {
    flexibleMode         = s.flexible_window_minutes == 0 ? "OFF" : "FLEXIBLE"
    maximumWindowMinutes = s.flexible_window_minutes == 0 ? null : s.flexible_window_minutes
    retryAttempts        = s.retry.max_attempts
    maxEventAgeSeconds   = s.retry.max_event_age_seconds
    input                = local.schedule_inputs[s.name]
  } }
  schedule_specs = { for s in var.schedules : s.name => merge(local.schedule_timing[s.name], local.schedule_delivery[s.name]) }
}
