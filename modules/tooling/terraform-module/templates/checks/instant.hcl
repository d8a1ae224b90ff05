# An RFC 3339 instant, and a real one (timeadd refuses 2027-02-31T00:00:00Z).
check "instant" { holds = can(regex(local.patterns.rfc3339, {{value}})) && can(timeadd({{value}}, "0s")) }
