# Who hears about runs (var.notifications) and about alarms (var.operations, else the same
# targets): one subscription an endpoint, keyed by it, so reordering the lists changes nothing.

locals {
  operations_targets = var.operations != null ? var.operations : var.notifications

  notification_subscriptions = merge(
    { for e in var.notifications.email : "email:${e}" => { protocol = "email", endpoint = e } },
    { for e in var.notifications.sms : "sms:${e}" => { protocol = "sms", endpoint = e } },
    { for e in var.notifications.https : "https:${e}" => { protocol = "https", endpoint = e } },
  )
  operations_subscriptions = merge(
    { for e in local.operations_targets.email : "email:${e}" => { protocol = "email", endpoint = e } },
    { for e in local.operations_targets.sms : "sms:${e}" => { protocol = "sms", endpoint = e } },
    { for e in local.operations_targets.https : "https:${e}" => { protocol = "https", endpoint = e } },
  )
}
