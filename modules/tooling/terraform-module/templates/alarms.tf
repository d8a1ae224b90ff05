# The missed-run alarm of each recurring, enabled schedule. HCL cannot replay a year of a cron
# expression in its time zone as the stacks do (modules/config/missed-run-window.ts), so the
# module bounds the longest gap between runs from the expression's shape: rate(N unit) exactly;
# a daily cron that runs every hour 2 h (a spring-forward day skips one), every n hours n + 1 h,
# on given hours 25 h (a fall-back day); other crons get no alarm unless missed_run_alarm is given.

locals {
  rate_parts = { for s in var.schedules : s.name => try(regex("^rate\\((\\d+) (minute|hour|day)s?\\)$", s.expression), null) }
  rate_gaps = {
    for name, parts in local.rate_parts : name => parts == null ? null : tonumber(parts[0]) * lookup({ minute = 60, hour = 3600, day = 86400 }, parts[1])
  }
  # The hours field of a cron that runs every day: cron(m h * * ? *) or cron(m h ? * * *).
  daily_cron_hours = { for s in var.schedules : s.name => try(regex("^cron\\(\\S+ (\\S+) [*?] \\* [*?] \\*\\)$", s.expression)[0], null) }
  daily_cron_steps = { for name, hours in local.daily_cron_hours : name => try(tonumber(regex("^\\*/(\\d+)$", hours)[0]), null) }
  daily_cron_gaps = { for name, hours in local.daily_cron_hours : name => (
    hours == null ? null : hours == "*" ? 7200 : local.daily_cron_steps[name] != null ? (local.daily_cron_steps[name] + 1) * 3600 : 90000
  ) }
  run_gaps = { for s in var.schedules : s.name => coalesce(local.rate_gaps[s.name], local.daily_cron_gaps[s.name], -1) }

  # The longest silence of the metric: a gap, then a run as late as its window, its timeout (its own task's, if it
  # has one) and the metric's delay allow.
  run_timeouts = { for s in var.schedules : s.name => try(coalesce(var.tasks[s.task].timeout_seconds, var.processor.timeout_seconds), var.processor.timeout_seconds) }
  run_silences = {
    for s in var.schedules : s.name => local.run_gaps[s.name] < 0 ? null : local.run_gaps[s.name] + s.flexible_window_minutes * 60 + local.run_timeouts[s.name] + 300
  }
  # The smallest period whose window covers the silence, within CloudWatch's limits (1 day below hourly periods, 7 days otherwise).
  missed_run_candidates = { for name, silence in local.run_silences : name => silence == null ? [] : [
    for period in [300, 3600, 86400] : { period = period, evaluations = floor(silence / period) + 1 }
    if(floor(silence / period) + 1) * period <= (period < 3600 ? 86400 : 604800)
  ] }
  missed_run_windows = { for s in var.schedules : s.name => (
    s.missed_run_alarm != null ? { period = s.missed_run_alarm.period_seconds, evaluations = s.missed_run_alarm.evaluation_periods }
    : length(local.missed_run_candidates[s.name]) > 0 ? local.missed_run_candidates[s.name][0] : null
  ) }
  # A target's schedule has no run record to watch: Scheduler's group metrics watch its delivery.
  missed_run_schedules = [
    for s in var.schedules : s if s.task != null && s.enabled && !startswith(s.expression, "at(") && local.missed_run_windows[s.name] != null
  ]
  missed_run_descriptions = { for s in local.missed_run_schedules : s.name => format(
    "%s: no successful %s run of %s (%s %s) in %v hours", var.environment, s.task, s.name, s.expression, s.timezone,
    local.missed_run_windows[s.name].period * local.missed_run_windows[s.name].evaluations / 3600
  ) }
  # The Powertools service of the run's metric line: the function that runs it (an own task's, or the processor).
  missed_run_services = { for s in local.missed_run_schedules : s.name => "${local.name_prefix}-${contains(keys(var.tasks), s.task) ? "task-${s.task}" : "processor"}" }
  missed_runs = { for s in local.missed_run_schedules : s.name => {
    schedule          = s.name
    task              = s.task
    service           = local.missed_run_services[s.name]
    description       = local.missed_run_descriptions[s.name]
    periodSeconds     = local.missed_run_windows[s.name].period
    evaluationPeriods = local.missed_run_windows[s.name].evaluations
  } }
}
