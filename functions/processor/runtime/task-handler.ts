import { refuseTaskName } from "../../../core/task-types";
import { createS3Client, createSnsClient, createSqsClient } from "../../commons/aws-clients";
import { setFallbackServiceName } from "../../commons/metrics";
import { createObservability, instrument } from "../../commons/observability";
import { S3Store } from "../protocol/s3-store";
import { isTaskDefinition, type TaskDefinition } from "../protocol/task";
import { ownTaskLayout } from "../sources/source-layout";
import { runtimeSettingsFromEnv } from "./environment";
import { createRuntime } from "./invocation";

/** The part of Lambda's context the handler reads (Lambda passes the whole of it). */
export interface TaskLambdaContext {
  getRemainingTimeInMillis(): number;
  readonly functionName: string;
  readonly awsRequestId: string;
}

/** The Lambda handler an own task's function exports: a schedule's event in, the run's outcome out. */
export type TaskHandler = (event: unknown, context: TaskLambdaContext) => Promise<unknown>;

/**
 * The Lambda handler of an own task's function: the task on the run protocol, as the processor
 * runs the built-in tasks. Its event is a schedule's event (`task_type` the task's name); it
 * reads BUCKET_NAME, TOPIC_ARN and ENVIRONMENT (and the optional FAILURE_QUEUE_URL,
 * SOURCE_CONCURRENCY, RUN_LEASE_TTL_MS, SOURCE_RETRY_PAUSE_MS, FUNCTION_TIMEOUT_SECONDS) once,
 * when the function starts: a missing one fails the cold start with its name.
 */
// biome-ignore lint/suspicious/noExplicitAny: any task, whatever its payload's type.
export function createTaskHandler(task: TaskDefinition<any> | { readonly default: TaskDefinition<any> }): TaskHandler {
  // An entry compiled to CommonJS hands its default export over as `default`.
  const defined = isTaskDefinition(task) ? task : (task as { default?: unknown })?.default;
  if (!isTaskDefinition(defined))
    throw new TypeError("createTaskHandler takes the task an entry file's default export defines: export default defineTask({ ... })");
  const refused = refuseTaskName(defined.name);
  if (refused) throw new TypeError(`createTaskHandler: the task's name ${refused}`);
  const settings = runtimeSettingsFromEnv();
  setFallbackServiceName(defined.name);
  const observability = createObservability(defined.name);
  observability.logger.appendPersistentKeys({ environment: settings.environment });
  const clients = { s3: createS3Client(), sns: createSnsClient(), sqs: createSqsClient() };
  const runtime = createRuntime({
    ...settings,
    store: new S3Store(clients.s3, settings.bucket),
    sns: clients.sns,
    sqs: clients.sqs,
    log: observability.log,
    tasks: { [defined.name]: defined },
    layout: ownTaskLayout(defined.name),
    protectOutputs: true,
    writeMetric: (line) => process.stdout.write(`${line}\n`),
  });
  return instrument(runtime, observability, Object.values(clients)) as TaskHandler;
}
