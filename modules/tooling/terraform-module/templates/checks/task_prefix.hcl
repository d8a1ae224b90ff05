# A prefix an own task reads or writes (core/own-task-access.ts): a key prefix ending in /, without
# an empty or ".." segment, that neither lies within nor around an area the product keeps for itself.
check "shape" {
  holds = can(regex("^[^/].*/$", {{value}})) && !contains(split("/", trimsuffix({{value}}, "/")), "") && !contains(split("/", {{value}}), "..")
  rule  = "{{shape_rule}}"
}
check "outside_product_areas" {
  holds = !anytrue([for area in {{reserved}} : startswith({{value}}, area) || startswith(area, {{value}})])
  rule  = "{{reserved_rule}}"
}
