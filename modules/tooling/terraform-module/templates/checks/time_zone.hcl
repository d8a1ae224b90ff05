# The IANA database's names (zones and links, time-zones.tf): a misspelt zone fails at plan, not at apply.
check "time_zone" { holds = contains(local.iana_time_zones, {{value}}) }
