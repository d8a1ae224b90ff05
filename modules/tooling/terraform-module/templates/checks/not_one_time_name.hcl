check "not_one_time_name" { holds = !startswith({{value}}, "{{prefix}}") }
