# Relative, and no ".." segment: a payload cannot reach outside incoming/.
check "relative_prefix" { holds = {{value}} != "" && !startswith({{value}}, "/") && !contains(split("/", {{value}}), "..") }
