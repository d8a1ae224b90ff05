import type { EnvironmentFile } from "../modules/config/schema";

/** Staging: production's shape at a lower frequency, for release rehearsal. */
export const staging: EnvironmentFile = {
  name: "staging",
  account: "222222222222",
  region: "us-east-1",
  projectName: "scheduler",
  tags: { "cost-center": "platform-staging", owner: "platform-team" },
  backend: {
    bucket: "scheduler-terraform-state-222222222222",
    key: "scheduled-task-processing/staging.tfstate",
    region: "us-east-1",
  },
  // a destroy of the data bucket or the KMS keys must be deliberate.
  protection: { preventDestroy: true },
  storage: {
    noncurrentVersionExpirationDays: 30,
    abortIncompleteMultipartUploadDays: 3,
  },
  notifications: {
    email: ["platform-staging@example.com"],
    sms: [],
    https: ["https://hooks.example.com/scheduler/staging"],
  },
  operations: {
    email: ["platform-staging@example.com"],
    sms: [],
    https: [],
  },
  alarms: {
    processorErrors: 3,
    processorThrottles: 3,
    durationPercentOfTimeout: 90,
    deadLetterMessages: 1,
    schedulerTargetErrors: 3,
    schedulerDroppedInvocations: 1,
    schedulerThrottledInvocations: 3,
  },
  processor: {
    memoryMb: 512,
    timeoutSeconds: 300,
    logRetentionDays: 30,
    asyncRetries: 1,
    tracing: true,
  },
  scheduleApi: {
    retry: { maxAttempts: 5, maxEventAgeSeconds: 7200 },
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
      flexibleWindowMinutes: 15,
      retry: { maxAttempts: 5, maxEventAgeSeconds: 7200 },
    },
    {
      name: "data-processing",
      description: "Ingest incoming/ every two hours",
      expression: "rate(2 hours)",
      timezone: "UTC",
      task: "data_processing",
      payload: { requiredFields: ["id", "amount"] },
      enabled: true,
      flexibleWindowMinutes: 10,
      retry: { maxAttempts: 5, maxEventAgeSeconds: 7200 },
    },
    {
      name: "weekly-notification",
      description: "Monday digest of the week's runs",
      expression: "cron(0 10 ? * MON *)",
      timezone: "America/New_York",
      task: "notification",
      payload: { periodHours: 168 },
      enabled: true,
      flexibleWindowMinutes: 30,
      retry: { maxAttempts: 5, maxEventAgeSeconds: 7200 },
    },
  ],
};
