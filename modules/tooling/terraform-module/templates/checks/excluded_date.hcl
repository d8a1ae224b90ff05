# An excluded date: its shape, real calendar days (timeadd refuses 2027-02-29) and a range that
# runs forwards, each with its own message, as core/excluded-dates.ts checks them.
check "shape" {
  holds = can(regex(local.patterns.excluded_date, {{value}}))
  rule  = "must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd"
}
check "real" {
  holds = !can(regex(local.patterns.excluded_date, {{value}})) || alltrue([for day in split("/", {{value}}) : can(timeadd("${day}T00:00:00Z", "0s"))])
  rule  = "must name real calendar dates"
}
check "forwards" {
  holds = try(timecmp("${split("/", {{value}})[0]}T00:00:00Z", "${split("/", {{value}})[1]}T00:00:00Z") <= 0, true)
  rule  = "must be a range that runs forwards, its first day then its last"
}
