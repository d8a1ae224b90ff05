import type { EnvironmentFile } from "../modules/config/schema";

/** Production: hourly processing, a year of logs, the most retries, on-call paging. */
export const prod: EnvironmentFile = {
  name: "prod",
  account: "333333333333",
  region: "us-east-1",
  projectName: "scheduler",
  tags: { "cost-center": "platform-prod", owner: "platform-team", "data-classification": "internal" },
  backend: {
    bucket: "scheduler-terraform-state-333333333333",
    key: "scheduled-task-processing/prod.tfstate",
    region: "us-east-1",
  },
  // a destroy of the data bucket or the KMS keys must be deliberate.
  protection: { preventDestroy: true },
  storage: {
    noncurrentVersionExpirationDays: 90,
    abortIncompleteMultipartUploadDays: 7,
  },
  notifications: {
    email: ["platform-oncall@example.com", "finance-reports@example.com"],
    sms: ["+15555550100"],
    https: ["https://hooks.example.com/scheduler/prod"],
  },
  operations: {
    email: ["platform-oncall@example.com"],
    sms: ["+15555550199"],
    https: ["https://oncall.example.com/hooks/scheduler"],
  },
  alarms: {
    processorErrors: 1,
    processorThrottles: 1,
    durationPercentOfTimeout: 80,
    deadLetterMessages: 1,
    schedulerTargetErrors: 1,
    schedulerDroppedInvocations: 1,
    schedulerThrottledInvocations: 1,
  },
  processor: {
    memoryMb: 1024,
    timeoutSeconds: 900,
    logRetentionDays: 365,
    asyncRetries: 2,
    tracing: true,
  },
  scheduleApi: {
    retry: { maxAttempts: 20, maxEventAgeSeconds: 21600 },
  },
  schedules: [
    {
      name: "daily-report",
      description: "Report of the last day's processing runs",
      expression: "cron(0 9 * * ? *)",
      timezone: "America/New_York",
      task: "report",
      payload: { periodHours: 24 },
      enabled: true,
      flexibleWindowMinutes: 5,
      retry: { maxAttempts: 20, maxEventAgeSeconds: 21600 },
    },
    {
      name: "data-processing",
      description: "Ingest incoming/ every hour",
      expression: "rate(1 hour)",
      timezone: "UTC",
      task: "data_processing",
      payload: { requiredFields: ["id", "amount", "currency"] },
      enabled: true,
      flexibleWindowMinutes: 5,
      retry: { maxAttempts: 20, maxEventAgeSeconds: 21600 },
    },
    {
      name: "weekly-notification",
      description: "Monday digest of the week's runs",
      expression: "cron(0 10 ? * MON *)",
      timezone: "America/New_York",
      task: "notification",
      payload: { periodHours: 168 },
      enabled: true,
      flexibleWindowMinutes: 15,
      retry: { maxAttempts: 20, maxEventAgeSeconds: 21600 },
    },
  ],
};
