import type { EnvironmentFile } from "../modules/config/schema";

/** Development: cheap and quiet. Fewer runs, short log retention, no async retries. */
export const dev: EnvironmentFile = {
  name: "dev",
  account: "111111111111",
  region: "us-east-1",
  projectName: "scheduler",
  tags: { "cost-center": "platform-dev", owner: "platform-team" },
  backend: {
    bucket: "scheduler-terraform-state-111111111111",
    key: "scheduled-task-processing/dev.tfstate",
    region: "us-east-1",
  },
  // dev may be torn down: nothing in it is kept.
  protection: { preventDestroy: false },
  storage: {
    noncurrentVersionExpirationDays: 7,
    abortIncompleteMultipartUploadDays: 1,
  },
  notifications: {
    email: ["platform-dev@example.com"],
    sms: [],
    https: [],
  },
  operations: {
    email: ["platform-dev@example.com"],
    sms: [],
    https: [],
  },
  alarms: {
    processorErrors: 5,
    processorThrottles: 5,
    durationPercentOfTimeout: 95,
    deadLetterMessages: 1,
    schedulerTargetErrors: 5,
    schedulerDroppedInvocations: 1,
    schedulerThrottledInvocations: 5,
  },
  processor: {
    memoryMb: 256,
    timeoutSeconds: 60,
    logRetentionDays: 14,
    asyncRetries: 0,
    logLevel: "DEBUG",
    tracing: false,
  },
  scheduleApi: {
    retry: { maxAttempts: 2, maxEventAgeSeconds: 3600 },
  },
  schedules: [
    {
      name: "daily-report",
      description: "Report of the last day's processing runs, weekdays only in dev",
      expression: "cron(0 9 ? * MON-FRI *)",
      timezone: "America/New_York",
      task: "report",
      payload: { periodHours: 24 },
      enabled: true,
      flexibleWindowMinutes: 30,
      retry: { maxAttempts: 2, maxEventAgeSeconds: 3600 },
    },
    {
      name: "data-processing",
      description: "Ingest incoming/ every six hours",
      expression: "rate(6 hours)",
      timezone: "UTC",
      task: "data_processing",
      payload: { requiredFields: ["id"] },
      enabled: true,
      flexibleWindowMinutes: 15,
      retry: { maxAttempts: 2, maxEventAgeSeconds: 3600 },
    },
    {
      name: "weekly-notification",
      description: "Monday digest of the week's runs",
      expression: "cron(0 10 ? * MON *)",
      timezone: "America/New_York",
      task: "notification",
      enabled: true,
      flexibleWindowMinutes: 60,
      retry: { maxAttempts: 2, maxEventAgeSeconds: 3600 },
    },
    // A one-time schedule: after it fires (2027-01-04), remove it. The config warns for 30 days,
    // then refuses it (from 2027-02-03), so a new environment copied from this one cannot inherit it.
    {
      name: "year-start-backfill",
      description: "One-time reprocessing of the backfill/ prefix at the start of 2027",
      expression: "at(2027-01-04T08:00:00)",
      timezone: "Europe/London",
      task: "data_processing",
      payload: { prefix: "backfill/" },
      enabled: true,
      flexibleWindowMinutes: 0,
      retry: { maxAttempts: 2, maxEventAgeSeconds: 3600 },
    },
  ],
};
