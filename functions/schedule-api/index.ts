import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { requireEnv } from "../commons/env";
import { createLogger } from "../commons/logger";
import { createScheduleApi } from "./handler";

const environment = requireEnv("ENVIRONMENT");

export const handler = createScheduleApi({
  scheduler: new SchedulerClient({}),
  environment,
  groupName: requireEnv("SCHEDULE_GROUP"),
  targetArn: requireEnv("TARGET_ARN"),
  roleArn: requireEnv("SCHEDULER_ROLE_ARN"),
  deadLetterQueueArn: requireEnv("DEAD_LETTER_QUEUE_ARN"),
  retry: { maxAttempts: Number(requireEnv("RETRY_MAX_ATTEMPTS")), maxEventAgeSeconds: Number(requireEnv("RETRY_MAX_EVENT_AGE_SECONDS")) },
  log: createLogger({ environment, function: "schedule-api" }),
});
