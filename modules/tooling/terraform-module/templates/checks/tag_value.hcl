check "tag_value" { holds = length({{value}}) <= {{max_tag_value}} }
