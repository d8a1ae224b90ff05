import { InvalidEventError } from "../../../functions/commons/errors/invalid-event-error";
import { parseTaskEvent } from "../../../functions/commons/task-event";

const valid = {
  task_type: "report",
  payload: { periodHours: 24 },
  schedule: "daily-report",
  environment: "prod",
  scheduled_time: "2026-11-23T14:00:00Z",
  execution_id: "0b6d2c1e",
  attempt_number: "1",
};

function errorOf(event: unknown): InvalidEventError {
  try {
    parseTaskEvent(event);
  } catch (error) {
    return error as InvalidEventError;
  }
  throw new Error("expected the event to be rejected");
}

describe("parseTaskEvent", () => {
  it("accepts the input a schedule sends and defaults the payload", () => {
    expect(parseTaskEvent(valid)).toEqual(valid);
    const { payload: _payload, ...withoutPayload } = valid;
    expect(parseTaskEvent(withoutPayload).payload).toEqual({});
  });

  it.each([
    [{ ...valid, task_type: "cleanup" }, "task_type", 'must be one of report, data_processing, notification, got "cleanup"'],
    [
      { ...valid, scheduled_time: "yesterday" },
      "scheduled_time",
      'must be a real ISO-8601 instant such as 2026-11-23T10:00:00Z, got "yesterday"',
    ],
    [
      { ...valid, scheduled_time: "2026-02-30T10:00:00Z" },
      "scheduled_time",
      'must be a real ISO-8601 instant such as 2026-11-23T10:00:00Z, got "2026-02-30T10:00:00Z"',
    ],
    [
      { ...valid, scheduled_time: "2026-11-23T24:00:00Z" },
      "scheduled_time",
      'must be a real ISO-8601 instant such as 2026-11-23T10:00:00Z, got "2026-11-23T24:00:00Z"',
    ],
    [
      { ...valid, scheduled_time: "2027-02-29T10:00:00Z" },
      "scheduled_time",
      'must be a real ISO-8601 instant such as 2026-11-23T10:00:00Z, got "2027-02-29T10:00:00Z"',
    ],
    [{ ...valid, execution_id: undefined }, "execution_id", "is required"],
    [{ ...valid, schedule: "has space" }, "schedule", "must be a schedule name (1-64 of 0-9 A-Z a-z _ . -)"],
    [{ ...valid, payload: [] }, "payload", "must be an object, got an array"],
  ])("names the bad field", (event, field, reason) => {
    const error = errorOf(event);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect(error.name).toBe("InvalidEventError");
    expect([error.field, error.reason]).toEqual([field, reason]);
    expect(error.message).toBe(`invalid event: ${field}: ${reason}`);
  });

  it.each(["2028-02-29T10:00:00Z", "2026-11-23T23:59:59.999+05:30", "2026-12-31T00:00:00-00:00"])(
    "accepts the real instant %s",
    (instant) => {
      expect(parseTaskEvent({ ...valid, scheduled_time: instant }).scheduled_time).toBe(instant);
    },
  );

  it.each([[null], ["text"], [[1]]])("rejects %j as not an object", (event) => {
    expect(errorOf(event).field).toBe("<event>");
  });
});
