# The environment's CloudWatch dashboard: invocations, errors and durations of the three functions,
# the failure and work queues, and the records the runs processed and quarantined.
