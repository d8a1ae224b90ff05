# What HCL can check of an expression: its shape, a rate's number and unit, a cron's six fields
# each by its grammar and range (local.cron_fields), and an at()'s instant. The exact calendar
# (a cron that never fires, DST gaps) is checked by `npm run config -- check <file.tfvars>`.
check "shape" {
  holds = can(regex(local.rate_pattern, {{value}})) || can(regex(local.cron_pattern, {{value}})) || can(regex(local.at_pattern, {{value}}))
  rule  = "must be rate(N unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss)"
}
check "rate" {
  holds = !can(regex(local.rate_pattern, {{value}})) || try(tonumber(regex(local.rate_pattern, {{value}})[0]) >= 1, false)
  rule  = "must be rate(N unit) with N >= 1"
}
check "rate_unit" {
  holds = !can(regex(local.rate_pattern, {{value}})) || try((tonumber(regex(local.rate_pattern, {{value}})[0]) == 1) == !endswith(regex(local.rate_pattern, {{value}})[1], "s"), false)
  rule  = "must use the singular unit for 1 only (rate(1 hour), rate(2 hours))"
}
check "cron_days" {
  holds = !can(regex(local.cron_pattern, {{value}})) || try((regex(local.cron_pattern, {{value}})[2] == "?") != (regex(local.cron_pattern, {{value}})[4] == "?"), false)
  rule  = "must have ? in exactly one of day-of-month and day-of-week"
}
{{cron_field_checks}}
