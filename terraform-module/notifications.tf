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

locals {
  notifications_topic_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AllowPublishFromStackRoles"
        Effect = "Allow"
        Principal = {
          AWS = concat([aws_iam_role.processor.arn, aws_iam_role.failure_handler.arn], [for r in aws_iam_role.task : r.arn])
        }
        Action = ["sns:Publish"]
        Resource = [
          var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn,
        ]
      },
      {
        Sid       = "DenyPublishFromOtherPrincipals"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sns:Publish"]
        Resource = [
          var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn,
        ]
        Condition = {
          ArnNotEquals = {
            "aws:PrincipalArn" = concat([aws_iam_role.processor.arn, aws_iam_role.failure_handler.arn], [for r in aws_iam_role.task : r.arn])
          }
        }
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = ["sns:*"]
        Resource = [
          var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn,
        ]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  }
}

resource "aws_sns_topic" "notifications" {
  count = var.adopt.existing_notification_topic_arn == null ? 1 : 0

  kms_master_key_id = "alias/aws/sns"
  name              = "${local.name_prefix}-notifications"
  tags              = var.tags
}

resource "aws_sns_topic_subscription" "notifications" {
  for_each = local.notification_subscriptions

  endpoint  = each.value.endpoint
  protocol  = each.value.protocol
  topic_arn = var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn
}

resource "aws_sns_topic_policy" "notifications" {
  count = var.adopt.existing_notification_topic_arn == null ? 1 : 0

  arn    = var.adopt.existing_notification_topic_arn == null ? one(aws_sns_topic.notifications[*].arn) : var.adopt.existing_notification_topic_arn
  policy = jsonencode(local.notifications_topic_policy)
}
