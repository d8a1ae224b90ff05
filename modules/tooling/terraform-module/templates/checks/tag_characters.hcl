# AWS's characters for tags (\p{...} classes, which RE2 reads as JavaScript's u flag does).
check "tag_characters" { holds = can(regex(local.patterns.tag_characters, {{value}})) }
