check "reason" { holds = length(trimspace({{value}})) >= {{min_reason_length}} }
