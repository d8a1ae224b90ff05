import { createLogger } from "../../functions/commons/logger";
import type { TaskType } from "../../functions/commons/task-event";
import { createHandler, type InvocationContext, type ProcessorDependencies } from "../../functions/processor/handler";
import type { Emulator, Sandbox } from "./emulator";

export const ENVIRONMENT = "test";

/** The processor's handler wired to the emulator in this process, capturing logs and metrics. */
export function processorHarness(emulator: Emulator, sandbox: Sandbox, overrides: Partial<ProcessorDependencies> = {}) {
  const logs: any[] = [];
  const metrics: any[] = [];
  const handler = createHandler({
    s3: emulator.s3,
    sns: emulator.sns,
    bucket: sandbox.bucket,
    topicArn: sandbox.topicArn,
    environment: ENVIRONMENT,
    log: createLogger({}, (line) => logs.push(JSON.parse(line))),
    writeMetric: (line) => metrics.push(JSON.parse(line)),
    ...overrides,
  });
  return { handler, logs, metrics };
}

export function taskEvent(task: TaskType, overrides: Record<string, unknown> = {}) {
  return {
    task_type: task,
    payload: {},
    schedule: `${task.replace("_", "-")}-test`,
    environment: ENVIRONMENT,
    scheduled_time: "2026-11-23T10:00:00Z",
    execution_id: "c0ffee00-0000-4000-8000-000000000001",
    attempt_number: "1",
    ...overrides,
  };
}

export const plentyOfTime: InvocationContext = { getRemainingTimeInMillis: () => 600_000 };
