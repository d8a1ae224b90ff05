/** The CloudWatch namespace of the processor's embedded metrics; alarms and the dashboard read it. */
export const METRIC_NAMESPACE = "ScheduledTasks";
