# What the inputs' validation blocks (variables.tf) check against: the patterns of the field
# descriptions (modules/config/fields/, the same the stacks' schema uses), the grammar of a
# schedule expression, and which payload fields each task takes. Constants only, so any
# validation may read them.

locals {
  patterns = {{patterns}}

  rate_pattern = "^rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)$"
  cron_pattern = "^cron\\((\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+)\\)$"
  at_pattern   = "^at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)$"
  # Each cron field's grammar and range, rendered from the stacks' parser's field rules.
  cron_fields = {{cron_fields}}

  # The words a field may be, where they are too many to write into its condition.
  one_of = {{one_of}}

  # Words refused with a reason of their own (a deprecated Lambda runtime), by field.
  refused = {{refused}}

  # The payload fields each task takes (modules/config/fields/schedules.ts).
  payload_tasks = {{payload_tasks}}

  # The areas of the bucket the product keeps for itself: an own task's prefixes stay out of them.
  product_areas = {{product_areas}}

  # What the rules over several fields read (modules/config/rules/).
{{rule_locals}}
}
