import { randomUUID } from "node:crypto";
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { canonicalInstant, EXECUTION_ID_PREFIXES } from "../../../core/run-history";
import { scheduleEvent } from "../../../core/schedule-event";
import type { HistoryEntry } from "./history";
import type { HistorySchedule } from "./schedule-times";

/** Invocations a backfill starts a second at most, so a long outage's backlog does not arrive at once. */
export const BACKFILL_INVOCATIONS_PER_SECOND = 2;

/** The times a backfill fires: each scheduled time missed, and with `includeFailed` each one failed, oldest first. */
export function backfillTimes(entries: readonly HistoryEntry[], includeFailed: boolean): HistoryEntry[] {
  return entries.filter((e) => e.scheduled && (e.state === "missed" || (includeFailed && e.state === "failed")));
}

/**
 * The event Scheduler would have sent for `scheduledTime`: the schedule's event (core/schedule-input.ts,
 * with its excluded dates where it has them) with its context attributes filled in, under an execution id of
 * the operator's (`backfill-<uuid>`, `manual-<uuid>`: core/run-history.ts) and attempt 1.
 */
export function scheduledEvent(
  schedule: HistorySchedule,
  environment: string,
  scheduledTime: Date | string,
  trigger: keyof typeof EXECUTION_ID_PREFIXES,
): Record<string, unknown> {
  return {
    ...scheduleEvent(schedule, environment),
    scheduled_time: canonicalInstant(scheduledTime),
    execution_id: `${EXECUTION_ID_PREFIXES[trigger]}${randomUUID()}`,
    attempt_number: "1",
  };
}

/** A run now: this second, and the schedule's excluded dates (and their zone) left out, since the operator asked for it today. */
export function manualEvent(schedule: HistorySchedule, environment: string, now: Date): Record<string, unknown> {
  const {
    exclude: _exclude,
    timezone: _timezone,
    ...event
  } = scheduledEvent(schedule, environment, new Date(Math.floor(now.getTime() / 1000) * 1000), "manual");
  return event;
}

/** Starts one run; what it says back (a status code, or the run's outcome when it ran here). */
export type Invoke = (event: Record<string, unknown>) => Promise<string>;

/** Invokes the processor as Scheduler does: asynchronously (InvocationType Event); Lambda answers 202 once it has the event. */
export function lambdaInvoker(lambda: LambdaClient, functionName: string): Invoke {
  return async (event) => {
    const response = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: "Event", Payload: Buffer.from(JSON.stringify(event)) }),
    );
    return `accepted (${response.StatusCode})`;
  };
}

/** Fires `events` one after another, at most `perSecond` a second; `fired` hears of each as it goes. */
export async function fireAtRate(
  events: readonly Record<string, unknown>[],
  invoke: Invoke,
  perSecond: number,
  fired: (event: Record<string, unknown>, answer: string) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  const spacing = 1000 / perSecond;
  for (const [index, event] of events.entries()) {
    const started = Date.now();
    fired(event, await invoke(event));
    const left = spacing - (Date.now() - started);
    if (index < events.length - 1 && left > 0) await sleep(left);
  }
}
