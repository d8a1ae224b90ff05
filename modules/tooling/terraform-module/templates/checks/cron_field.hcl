check "cron_{{field_id}}" {
  holds = !can(regex(local.cron_pattern, {{value}})) || can(regex(local.cron_fields.{{field_id}}, regex(local.cron_pattern, {{value}})[{{index}}]))
  rule  = "cron {{field}} must be {{allowed}}"
}
