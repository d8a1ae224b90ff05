# An own task's name (core/task-types.ts): plain and short, for keys, metric dimensions and its
# function's name; and not the name of a built-in task.
check "shape" {
  holds = can(regex({{pattern}}, {{value}}))
  rule  = "{{shape_rule}}"
}
check "not_built_in" {
  holds = !contains({{built_in}}, {{value}})
  rule  = "{{built_in_rule}}"
}
