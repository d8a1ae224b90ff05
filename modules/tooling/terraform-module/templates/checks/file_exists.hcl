# A file Terraform can read when it plans: an own task's bundle, built before `terraform plan`.
check "file_exists" { holds = fileexists({{value}}) }
