check "https_url" { holds = can(regex(local.patterns.https_url, {{value}})) }
