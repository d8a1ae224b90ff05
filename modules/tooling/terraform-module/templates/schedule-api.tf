# The one-time scheduling API: an IAM-authorised function URL that creates `once-` schedules in the
# environment's group, with the scheduler role and dead-letter queue the recurring ones use.
