import { LambdaClient } from "@aws-sdk/client-lambda";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { requireEnv } from "../commons/env";
import { createObservability, instrument } from "../commons/observability";
import { createScheduleApi } from "./handler";

const environment = requireEnv("ENVIRONMENT");
const observability = createObservability("schedule-api");
observability.logger.appendPersistentKeys({ environment });
const scheduler = new SchedulerClient({});
const lambda = new LambdaClient({});

const scheduleApi = createScheduleApi({
  scheduler,
  lambda,
  environment,
  groupName: requireEnv("SCHEDULE_GROUP"),
  targetArn: requireEnv("TARGET_ARN"),
  roleArn: requireEnv("SCHEDULER_ROLE_ARN"),
  deadLetterQueueArn: requireEnv("DEAD_LETTER_QUEUE_ARN"),
  retry: { maxAttempts: Number(requireEnv("RETRY_MAX_ATTEMPTS")), maxEventAgeSeconds: Number(requireEnv("RETRY_MAX_EVENT_AGE_SECONDS")) },
  log: observability.log,
});

export const handler = instrument(scheduleApi, observability, [scheduler, lambda]);
