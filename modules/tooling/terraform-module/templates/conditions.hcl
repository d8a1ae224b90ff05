# How each kind of rule in the field descriptions (modules/config/fields/) is checked on one
# value, `{{value}}`. The generator fills in the value's expression and the rule's numbers from
# the field, wraps a list's items in a for expression, and writes one validation block a rule.
# One rule a line: `rule "<kind>" { holds = <condition> }`.

rule "pattern" { holds = can(regex(local.patterns.{{pattern}}, {{value}})) }
rule "max_length" { holds = length({{value}}) <= {{max}} }
rule "non_empty" { holds = length({{value}}) > 0 }
rule "one_of" { holds = contains({{values}}, {{value}}) }
rule "integer" { holds = floor({{value}}) == {{value}} && {{value}} >= {{min}} && {{value}} <= {{max}} }
rule "integer_or_zero" { holds = {{value}} == 0 || (floor({{value}}) == {{value}} && {{value}} >= {{min}} && {{value}} <= {{max}}) }
rule "number_in" { holds = contains({{values}}, {{value}}) }
rule "min_items" { holds = length({{value}}) >= {{count}} }
rule "distinct" { holds = length(distinct({{value}})) == length({{value}}) }
