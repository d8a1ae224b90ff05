/** An expression EventBridge Scheduler would reject; `reason` says what is wrong and where. */
export class ScheduleExpressionError extends Error {
  override readonly name = "ScheduleExpressionError";
  constructor(readonly reason: string) {
    super(reason);
  }
}
