import { SCHEDULER_CONTEXT } from "../../../../core/schedule-input";
import { substituteContext } from "../../../../scripts/lib/rehearsal/fire-schedules";

const context = { scheduledTime: "2026-12-06T18:00:00Z", executionId: "e-1", attemptNumber: 2 };

describe("firing a schedule as Scheduler would", () => {
  it("replaces each context attribute's placeholder by literal text", () => {
    const input = JSON.stringify({
      task_type: "report",
      scheduled_time: SCHEDULER_CONTEXT.scheduledTime,
      execution_id: SCHEDULER_CONTEXT.executionId,
      attempt_number: SCHEDULER_CONTEXT.attemptNumber,
    });
    expect(JSON.parse(substituteContext(input, context))).toEqual({
      task_type: "report",
      scheduled_time: "2026-12-06T18:00:00Z",
      execution_id: "e-1",
      attempt_number: "2",
    });
  });

  it("leaves a placeholder that jsonencode escaped, as Scheduler would deliver it", () => {
    const escaped = '{"scheduled_time":"\\u003caws.scheduler.scheduled-time\\u003e"}';
    expect(JSON.parse(substituteContext(escaped, context))).toEqual({ scheduled_time: SCHEDULER_CONTEXT.scheduledTime });
  });
});
