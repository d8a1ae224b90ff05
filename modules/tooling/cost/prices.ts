/**
 * List prices used by the cost estimate, in USD, for us-east-1 as published by AWS and read on
 * 2026-11-01. Other regions differ by a few percent; check https://aws.amazon.com/pricing/
 * before relying on a figure. Free tiers are account-wide and shared, so the estimate shows
 * gross cost and names the free tiers separately.
 */
export const PRICES_AS_OF = "2026-11-01";
export const PRICE_REGION = "us-east-1";

export const PRICES = {
  scheduler: { perMillionInvocations: 1.0 },
  lambda: { perMillionRequests: 0.2, perGbSecondArm: 0.0000133334 },
  sns: { perMillionPublishes: 0.5, perHundredThousandEmails: 2.0, perMillionHttpsDeliveries: 0.6, perSmsUs: 0.00581 },
  s3: { perThousandWrites: 0.005, perThousandReads: 0.0004, perGbMonthStandard: 0.023 },
  sqs: { perMillionRequests: 0.4 },
  cloudwatch: { perAlarmMonth: 0.1, perDashboardMonth: 3.0, perCustomMetricMonth: 0.3, perGbLogsIngested: 0.5 },
  kms: { perKeyMonth: 1.0, perTenThousandRequests: 0.03 },
  xray: { perMillionTracesRecorded: 5.0 },
} as const;

export const FREE_TIERS = [
  "EventBridge Scheduler: 14 million invocations a month",
  "Lambda: 1 million requests and 400,000 GB-seconds a month",
  "SNS: 1 million publishes, 1,000 email and 100,000 HTTPS deliveries a month",
  "CloudWatch: 10 alarms, 3 dashboards and 10 custom metrics a month",
  "X-Ray: 100,000 traces recorded a month",
] as const;

/**
 * What a run typically costs in work, per task. Durations are typical, not the timeout; S3
 * requests follow the processor's code (listing for existence checks, manifests, archive copy).
 */
export const RUN_ASSUMPTIONS = {
  data_processing: { durationSeconds: 30, s3Writes: 12, s3Reads: 2, sourcesPerRun: 1 },
  report: { durationSeconds: 5, s3Writes: 4, s3Reads: 24, sourcesPerRun: 0 },
  notification: { durationSeconds: 3, s3Writes: 3, s3Reads: 24, sourcesPerRun: 0 },
} as const;

/** Log bytes a run writes (one log line and one metric line, with SDK overhead). */
export const LOG_BYTES_PER_RUN = 2_048;
/** Lambda polls each SQS event source continuously: about 5 pollers x 3 long polls a minute. */
export const SQS_POLLS_PER_QUEUE_MONTH = 5 * 3 * 60 * 24 * 30;
