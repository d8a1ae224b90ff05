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
    [{ ...valid, task_type: "cleanup" }, "task_type", 'unknown task "cleanup": this function runs report, data_processing, notification'],
    [
      (({ task_type: _task, ...input }) => input)(valid),
      "task_type",
      "unknown task: the event names none (an input meant for another target?); this function runs report, data_processing, notification",
    ],
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

describe("the schedule's zone and excluded dates in the event", () => {
  it("accepts them, and leaves them out when the schedule has none", () => {
    const event = { ...valid, timezone: "America/New_York", exclude: ["2026-12-25", "2026-12-24/2026-12-26"] };
    expect(parseTaskEvent(event)).toEqual(event);
    expect(parseTaskEvent(valid)).not.toHaveProperty("exclude");
  });

  it("accepts as many entries as a schedule may have, 366", () => {
    const exclude = Array.from({ length: 366 }, (_, i) => new Date(Date.UTC(2028, 0, 1 + i)).toISOString().slice(0, 10));
    expect(parseTaskEvent({ ...valid, exclude }).exclude).toHaveLength(366);
  });

  it.each([
    [{ timezone: "Mars/Olympus_Mons" }, "timezone", 'must be an IANA time zone name such as Europe/London, got "Mars/Olympus_Mons"'],
    [{ timezone: "europe/london" }, "timezone", 'must be an IANA time zone name such as Europe/London, got "europe/london"'],
    [{ timezone: 3 }, "timezone", "must be a string, got number 3"],
    [{ exclude: "2026-12-25" }, "exclude", 'must be an array, got string "2026-12-25"'],
    [{ exclude: ["2026-12-25", "2026-02-30"] }, "exclude[1]", "2026-02-30 is not a date"],
    [{ exclude: ["2026-12-26/2026-12-24"] }, "exclude[0]", "the range must run forwards: 2026-12-24 is before 2026-12-26"],
    [{ exclude: ["25.12.2026"] }, "exclude[0]", 'must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got "25.12.2026"'],
    [
      { exclude: ["2026-12-25".repeat(100)] },
      "exclude[0]",
      `must be a date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd, got "${"2026-12-25".repeat(6).slice(0, 59)}... (1002 characters)`,
    ],
    [{ exclude: Array.from({ length: 367 }, () => "2026-12-25") }, "exclude", "must hold at most 366 entries, got 367"],
  ])("refuses %j naming %s", (change, field, reason) => {
    const error = errorOf({ ...valid, ...change });
    expect([error.field, error.reason]).toEqual([field, reason]);
  });
});
