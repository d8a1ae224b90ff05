check "tag_key" { holds = length({{value}}) >= 1 && length({{value}}) <= {{max_tag_key}} && !startswith({{value}}, "aws:") }
