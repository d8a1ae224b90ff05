import type { SQSRecord } from "aws-lambda";

/** Where a failed event came from. */
export type FailureOrigin = "processor" | "scheduler" | "work-queue" | "unknown";

/**
 * A failed event as it is archived under failed/: what failed, why, how often it was tried,
 * and the original event, ready to replay. The raw message is kept too, so nothing is lost
 * even when a message has a shape this code does not know.
 */
export interface FailedEvent {
  readonly id: string;
  readonly origin: FailureOrigin;
  readonly queueArn: string;
  readonly sentAt: string;
  readonly schedule?: string;
  readonly task?: string;
  readonly scheduledTime?: string;
  readonly executionId?: string;
  readonly error: string;
  readonly attempts?: number;
  /** The event the processor should have run; replaying it runs the task again. */
  readonly event?: unknown;
  /**
   * A rejected event too large for the failure queue: the processor archived it whole at this
   * key, and `event` holds only its identity.
   */
  readonly archivedEvent?: string;
  readonly body: string;
  readonly messageAttributes: Record<string, string>;
}

export interface QueueOrigins {
  readonly processorFailureQueueArn: string;
  readonly schedulerDeadLetterQueueArn: string;
  /** Batches of fanned-out runs that failed every delivery. */
  readonly workDeadLetterQueueArn?: string;
}

/** Reads an SQS record from either failure queue into a FailedEvent. */
export function describeFailure(record: SQSRecord, origins: QueueOrigins): FailedEvent {
  const attributes = Object.fromEntries(
    Object.entries(record.messageAttributes ?? {}).map(([name, value]) => [name, value.stringValue ?? value.binaryValue ?? ""]),
  );
  const base = {
    id: record.messageId,
    queueArn: record.eventSourceARN,
    sentAt: new Date(Number(record.attributes?.SentTimestamp ?? 0)).toISOString(),
    body: record.body,
    messageAttributes: attributes,
  };
  const body = parseJson(record.body);

  if (record.eventSourceARN === origins.processorFailureQueueArn && isRecord(body) && isRecord(body.requestContext)) {
    // A Lambda on-failure destination record: the original event is requestPayload.
    const response = isRecord(body.responsePayload) ? body.responsePayload : {};
    const context = body.requestContext;
    return {
      ...base,
      origin: "processor",
      ...identityOf(body.requestPayload),
      error: [text(response.errorType) ?? text(context.condition) ?? "Error", text(response.errorMessage)].filter(Boolean).join(": "),
      attempts: typeof context.approximateInvokeCount === "number" ? context.approximateInvokeCount : undefined,
      event: body.requestPayload,
      ...(text(context.archivedEvent) ? { archivedEvent: text(context.archivedEvent) } : {}),
    };
  }
  if (record.eventSourceARN === origins.schedulerDeadLetterQueueArn) {
    // A Scheduler dead-letter event: the body is the input it could not deliver.
    return {
      ...base,
      origin: "scheduler",
      ...identityOf(body),
      executionId: attributes.EXECUTION_ID ?? identityOf(body).executionId,
      error: [attributes.ERROR_CODE ?? "InvocationFailed", attributes.ERROR_MESSAGE].filter(Boolean).join(": "),
      attempts: attributes.RETRY_ATTEMPTS !== undefined ? Number(attributes.RETRY_ATTEMPTS) : undefined,
      event: body,
    };
  }
  if (record.eventSourceARN === origins.workDeadLetterQueueArn && isRecord(body) && body.kind === "data_processing_batch") {
    // A batch of a fanned-out run: replaying it re-runs the batch, and completes the run if it was the last.
    const receives = Number(record.attributes?.ApproximateReceiveCount);
    return {
      ...base,
      origin: "work-queue",
      ...identityOf(body.event),
      error: `batch ${Number(body.index) + 1} of ${String(body.of)} failed every delivery; see the processor's log for its errors`,
      attempts: Number.isFinite(receives) ? receives : undefined,
      event: body,
    };
  }
  return { ...base, origin: "unknown", error: "message in an unexpected shape; kept as received", event: body };
}

function identityOf(event: unknown) {
  const fields = isRecord(event) ? event : {};
  return {
    schedule: text(fields.schedule),
    task: text(fields.task_type),
    scheduledTime: text(fields.scheduled_time),
    executionId: text(fields.execution_id),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
