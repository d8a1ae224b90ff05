/** Context attributes EventBridge Scheduler substitutes into the target input at each run. */
export const SCHEDULER_CONTEXT = {
  scheduledTime: "<aws.scheduler.scheduled-time>",
  executionId: "<aws.scheduler.execution-id>",
  attemptNumber: "<aws.scheduler.attempt-number>",
} as const;

/**
 * The context attributes as the members of a JSON object, written literally:
 * `"scheduled_time":"<aws.scheduler.scheduled-time>",...`. Scheduler substitutes only the
 * placeholder text itself, so where the rest of the input is encoded by a tool that escapes
 * `<` and `>` (Terraform's `jsonencode` writes `\u003c`), these are appended as they are.
 */
export function schedulerContextMembers(): string {
  return JSON.stringify({
    scheduled_time: SCHEDULER_CONTEXT.scheduledTime,
    execution_id: SCHEDULER_CONTEXT.executionId,
    attempt_number: SCHEDULER_CONTEXT.attemptNumber,
  }).slice(1, -1);
}

/** The event the processor receives from a schedule (functions/commons/task-event.ts checks it). */
export function scheduleInput(
  schedule: { readonly name: string; readonly task: string; readonly payload?: object },
  environment: string,
): Record<string, unknown> {
  return {
    task_type: schedule.task,
    payload: schedule.payload ?? {},
    schedule: schedule.name,
    environment,
    scheduled_time: SCHEDULER_CONTEXT.scheduledTime,
    execution_id: SCHEDULER_CONTEXT.executionId,
    attempt_number: SCHEDULER_CONTEXT.attemptNumber,
  };
}

/**
 * Terraform reads `${` and `%{` in any string as template syntax; doubling them keeps
 * configured text (a payload value, say) literal.
 */
export function escapeTerraformTemplate(text: string): string {
  // A replacer function, because "$$" in a replacement string means a single "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
