check "not_aws_event_source" { holds = !startswith({{value}}, "aws.") }
