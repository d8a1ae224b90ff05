import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from "@aws-sdk/client-scheduler";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { parseTaskEvent } from "../../../functions/commons/task-event";
import { createScheduleApi } from "../../../functions/schedule-api/handler";
import { recordingLogger } from "../../support/recording-logger";

const scheduler = mockClient(SchedulerClient);
const lambda = mockClient(LambdaClient);
const api = createScheduleApi({
  scheduler: new SchedulerClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }),
  lambda: new LambdaClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }),
  environment: "prod",
  groupName: "scheduler-prod",
  targetArn: "arn:aws:lambda:us-east-1:333333333333:function:scheduler-prod-processor",
  roleArn: "arn:aws:iam::333333333333:role/scheduler-prod-scheduler",
  deadLetterQueueArn: "arn:aws:sqs:us-east-1:333333333333:scheduler-prod-scheduler-dlq",
  retry: { maxAttempts: 20, maxEventAgeSeconds: 21600 },
  log: recordingLogger(),
  now: () => new Date("2026-11-23T12:00:00Z"),
});

function request(method: string, path: string, body?: unknown): APIGatewayProxyEventV2 {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: {},
    isBase64Encoded: false,
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    requestContext: { http: { method, path } } as APIGatewayProxyEventV2["requestContext"],
  };
}
const parsed = (response: any) => (response.body ? JSON.parse(response.body) : undefined);

beforeEach(() => {
  scheduler.reset();
  lambda.reset();
});

describe("scheduling API", () => {
  it("creates a one-time schedule for the processor that deletes itself after it runs", async () => {
    scheduler
      .on(CreateScheduleCommand)
      .resolves({ ScheduleArn: "arn:aws:scheduler:us-east-1:333333333333:schedule/scheduler-prod/once-backfill" });
    const response = await api(
      request("POST", "/schedules", {
        name: "backfill",
        at: "2026-12-01T08:30:00",
        timezone: "Europe/London",
        task: "data_processing",
        payload: { prefix: "backfill/" },
      }),
    );

    expect(response.statusCode).toBe(201);
    expect(parsed(response)).toEqual({
      name: "once-backfill",
      arn: "arn:aws:scheduler:us-east-1:333333333333:schedule/scheduler-prod/once-backfill",
      expression: "at(2026-12-01T08:30:00)",
      timezone: "Europe/London",
      task: "data_processing",
      runsAt: "2026-12-01T08:30:00.000Z",
    });
    const calls = scheduler.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input).toMatchObject({
      Name: "once-backfill",
      GroupName: "scheduler-prod",
      ScheduleExpression: "at(2026-12-01T08:30:00)",
      ScheduleExpressionTimezone: "Europe/London",
      FlexibleTimeWindow: { Mode: "OFF" },
      State: "ENABLED",
      ActionAfterCompletion: "DELETE",
      Target: {
        Arn: "arn:aws:lambda:us-east-1:333333333333:function:scheduler-prod-processor",
        RoleArn: "arn:aws:iam::333333333333:role/scheduler-prod-scheduler",
        RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: "arn:aws:sqs:us-east-1:333333333333:scheduler-prod-scheduler-dlq" },
      },
    });
    const filled = input
      .Target!.Input!.replace("<aws.scheduler.scheduled-time>", "2026-12-01T08:30:00Z")
      .replace("<aws.scheduler.execution-id>", "e")
      .replace("<aws.scheduler.attempt-number>", "1");
    expect(parseTaskEvent(JSON.parse(filled))).toMatchObject({
      task_type: "data_processing",
      payload: { prefix: "backfill/" },
      schedule: "once-backfill",
      environment: "prod",
    });
  });

  it("validates with the same rules as the configs and reports every problem, creating nothing", async () => {
    const response = await api(
      request("POST", "/schedules", { name: "bad name", at: "2027-02-29T10:00:00", timezone: "Mars/Base", task: "cleanup", colour: "red" }),
    );
    expect(response.statusCode).toBe(400);
    expect(parsed(response).problems).toEqual([
      { field: "colour", reason: "unknown field" },
      { field: "name", reason: 'must be 1-59 characters of 0-9 A-Z a-z _ . - (the API adds "once-"), got "bad name"' },
      { field: "timezone", reason: 'must be an IANA time zone name such as America/New_York, got "Mars/Base"' },
      { field: "at", reason: "at(2027-02-29T10:00:00): 2027-02-29 is not a calendar date" },
      { field: "task", reason: 'must be one of report, data_processing, notification, got "cleanup"' },
    ]);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it.each([
    [
      { at: "2026-11-23T06:00:00", timezone: "America/New_York", task: "report" },
      "at",
      "2026-11-23T06:00:00 in America/New_York is in the past",
    ],
    [{ at: "cron(0 9 * * ? *)", task: "report" }, "at", "at expressions are at(yyyy-mm-ddThh:mm:ss), got at(cron(0 9 * * ? *))"],
    [
      { at: "2026-12-01T08:30:00", task: "report", payload: { periodHours: 0 } },
      "payload.periodHours",
      "must be an integer from 1 to 8784 (a leap year), got 0",
    ],
  ])("rejects %j", async (body, field, reason) => {
    const response = await api(request("POST", "/schedules", body));
    expect(response.statusCode).toBe(400);
    expect(parsed(response).problems).toEqual([{ field, reason }]);
  });

  it("names a schedule when the caller does not, and answers 409 when the name is taken", async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: "exists", Message: "exists", $metadata: {} }));
    const response = await api(request("POST", "/schedules", { at: "2026-12-01T08:30:00", task: "report" }));
    expect(response.statusCode).toBe(409);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0].args[0].input.Name).toBe(`once-report-${Date.parse("2026-11-23T12:00:00Z")}`);
  });

  it("lists only the schedules it created, across pages", async () => {
    scheduler
      .on(ListSchedulesCommand, { GroupName: "scheduler-prod", NamePrefix: "once-", NextToken: undefined })
      .resolves({ Schedules: [{ Name: "once-a", State: "ENABLED", Arn: "arn:a" }], NextToken: "page-2" })
      .on(ListSchedulesCommand, { GroupName: "scheduler-prod", NamePrefix: "once-", NextToken: "page-2" })
      .resolves({ Schedules: [{ Name: "once-b", State: "ENABLED", Arn: "arn:b" }] });
    const response = await api(request("GET", "/schedules"));
    expect(response.statusCode).toBe(200);
    expect(parsed(response).schedules.map((s: { name: string }) => s.name)).toEqual(["once-a", "once-b"]);
  });

  it("shows and deletes its own schedules, and refuses to touch the ones Terraform manages", async () => {
    scheduler.on(GetScheduleCommand).resolves({
      Name: "once-a",
      ScheduleExpression: "at(2026-12-01T08:30:00)",
      ActionAfterCompletion: "DELETE",
      Target: { Arn: "t", RoleArn: "r", Input: '{"task_type":"report"}' },
    });
    expect(parsed(await api(request("GET", "/schedules/once-a")))).toMatchObject({
      name: "once-a",
      actionAfterCompletion: "DELETE",
      input: { task_type: "report" },
    });
    scheduler.on(DeleteScheduleCommand).resolves({});
    expect((await api(request("DELETE", "/schedules/once-a"))).statusCode).toBe(204);
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0].args[0].input).toEqual({ Name: "once-a", GroupName: "scheduler-prod" });

    const refused = await api(request("DELETE", "/schedules/daily-report"));
    expect(refused.statusCode).toBe(403);
    expect(scheduler.commandCalls(DeleteScheduleCommand)).toHaveLength(1);
  });

  it("answers 404 for a missing schedule or route, 405 for a wrong method and 400 for a body that is not JSON", async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new ResourceNotFoundException({ message: "gone", Message: "gone", $metadata: {} }));
    expect((await api(request("DELETE", "/schedules/once-gone"))).statusCode).toBe(404);
    expect((await api(request("GET", "/elsewhere"))).statusCode).toBe(404);
    expect((await api(request("PUT", "/schedules"))).statusCode).toBe(405);
    expect((await api(request("POST", "/schedules", "{not json"))).statusCode).toBe(400);
  });

  it.each([
    [
      "a zone that is not text",
      { at: "2026-12-01T08:30:00", task: "report", timezone: 5 },
      "timezone",
      "must be an IANA time zone name such as America/New_York, got 5",
    ],
    [
      "a null zone",
      { at: "2026-12-01T08:30:00", task: "report", timezone: null },
      "timezone",
      "must be an IANA time zone name such as America/New_York, got null",
    ],
    [
      "a time that is not text",
      { at: 1764578400, task: "report" },
      "at",
      "must be a local date and time, yyyy-mm-ddThh:mm:ss, got 1764578400",
    ],
    [
      "a time the clocks skip",
      { at: "2027-03-14T02:30:00", timezone: "America/New_York", task: "report" },
      "at",
      "2027-03-14T02:30:00 does not exist in America/New_York: the clocks skip it (daylight saving time begins)",
    ],
    [
      "a null name",
      { at: "2026-12-01T08:30:00", task: "report", name: null },
      "name",
      'must be 1-59 characters of 0-9 A-Z a-z _ . - (the API adds "once-"), got null',
    ],
    ["a null payload", { at: "2026-12-01T08:30:00", task: "report", payload: null }, "payload", "must be an object, got null"],
    ["a payload that is a list", { at: "2026-12-01T08:30:00", task: "report", payload: [1] }, "payload", "must be an object, got an array"],
    ["a null body", null, "<body>", "must be a JSON object"],
  ])("answers 400 for %s, naming the field, and creates nothing", async (_, body, field, reason) => {
    const response = await api(request("POST", "/schedules", body === null ? "null" : body));
    expect(response.statusCode).toBe(400);
    expect(parsed(response).problems).toEqual([{ field, reason }]);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it.each([
    [
      "a name that is not percent-encoding",
      request("GET", "/schedules/once-%E0%A4%A"),
      'the schedule name in the path is not valid percent-encoding: "once-%E0%A4%A"',
    ],
    [
      "a name with a slash in it",
      request("DELETE", "/schedules/once-a%2Fb"),
      'the schedule name in the path must be 1-64 characters of 0-9 A-Z a-z _ . -, got "once-a/b"',
    ],
    [
      "a name too long for Scheduler",
      request("GET", `/schedules/once-${"x".repeat(60)}`),
      expect.stringContaining("must be 1-64 characters"),
    ],
    ["a null event", null, "not a function URL request: the event is not an object"],
    ["a path that is not text", { ...request("GET", "/schedules"), rawPath: 5 }, "not a function URL request: rawPath is not text"],
    [
      "a method that is not text",
      { ...request("GET", "/schedules"), requestContext: { http: { method: ["GET"] } } },
      "not a function URL request: requestContext.http.method is not text",
    ],
    ["a body that is not text", { ...request("POST", "/schedules"), body: { at: "x" } }, "the body must be JSON"],
  ])("answers 400 for %s, touching no schedule", async (_, event, error) => {
    const response = await api(event as unknown as APIGatewayProxyEventV2);
    expect(response.statusCode).toBe(400);
    expect(parsed(response)).toEqual({ error });
    expect(scheduler.calls()).toHaveLength(0);
  });

  it("answers 400 with Scheduler's reason when Scheduler refuses a request, not 500", async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ValidationException({ message: "Invalid target input", Message: "Invalid target input", $metadata: {} }));
    const response = await api(request("POST", "/schedules", { at: "2026-12-01T08:30:00", task: "report" }));
    expect(response.statusCode).toBe(400);
    expect(parsed(response)).toEqual({ error: "refused by EventBridge Scheduler: Invalid target input" });
  });
});

describe("run now: POST /runs", () => {
  const PROCESSOR = "arn:aws:lambda:us-east-1:333333333333:function:scheduler-prod-processor";
  /** The target input Terraform writes: the event, its context attributes as Scheduler's placeholders. */
  const input = (extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({
      task_type: "report",
      payload: { periodHours: 24 },
      schedule: "daily-report",
      environment: "prod",
      ...extra,
    }).slice(0, -1)},` +
    '"scheduled_time":"<aws.scheduler.scheduled-time>","execution_id":"<aws.scheduler.execution-id>",' +
    '"attempt_number":"<aws.scheduler.attempt-number>"}';
  const terraformSchedule = (targetInput: string, arn = PROCESSOR) => ({
    Name: "daily-report",
    GroupName: "scheduler-prod",
    State: "ENABLED" as const,
    Target: { Arn: arn, RoleArn: "arn:aws:iam::333333333333:role/scheduler-prod-scheduler", Input: targetInput },
  });
  const invoked = () => lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);

  it("runs the schedule's own event now, recorded under its own identity, invoking the processor as Scheduler does", async () => {
    scheduler.on(GetScheduleCommand, { Name: "daily-report", GroupName: "scheduler-prod" }).resolves(terraformSchedule(input()));
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const response = await api(request("POST", "/runs", { schedule: "daily-report" }));
    expect(response.statusCode).toBe(202);
    const body = parsed(response);
    expect(body).toEqual({
      schedule: "daily-report",
      task: "report",
      scheduledTime: "2026-11-23T12:00:00Z",
      executionId: expect.stringMatching(/^manual-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      state: "ENABLED",
      invocationStatus: 202,
    });
    const [call] = invoked();
    expect(call).toMatchObject({ FunctionName: PROCESSOR, InvocationType: "Event" });
    const event = JSON.parse(Buffer.from(call.Payload as Uint8Array).toString("utf8"));
    expect(event).toEqual({
      task_type: "report",
      payload: { periodHours: 24 },
      schedule: "daily-report",
      environment: "prod",
      scheduled_time: "2026-11-23T12:00:00Z",
      execution_id: body.executionId,
      attempt_number: "1",
    });
    expect(parseTaskEvent(event)).toEqual(event);
  });

  it("runs on an excluded date too: the operator asked for it, so the schedule's exclusions are left out", async () => {
    scheduler.on(GetScheduleCommand).resolves(terraformSchedule(input({ timezone: "UTC", exclude: ["2026-11-23"] })));
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    expect((await api(request("POST", "/runs", { schedule: "daily-report" }))).statusCode).toBe(202);
    const event = JSON.parse(Buffer.from(invoked()[0].Payload as Uint8Array).toString("utf8"));
    expect(event.timezone).toBe("UTC");
    expect(event).not.toHaveProperty("exclude");
  });

  it.each([
    ["not an object", [], [{ field: "<body>", reason: 'must be a JSON object such as {"schedule": "daily-report"}' }]],
    ["no schedule", {}, [{ field: "schedule", reason: "is required: the name of the schedule to run now" }]],
    [
      "a bad name and an unknown field",
      { schedule: "daily report", at: "now" },
      [
        { field: "at", reason: "unknown field" },
        { field: "schedule", reason: 'must be a schedule name (1-64 of 0-9 A-Z a-z _ . -), got "daily report"' },
      ],
    ],
  ])("answers 400 for %s, every problem at once, running nothing", async (_, body, problems) => {
    const response = await api(request("POST", "/runs", body));
    expect(response.statusCode).toBe(400);
    expect(parsed(response)).toEqual({ error: "invalid run request", problems });
    expect(scheduler.calls()).toHaveLength(0);
    expect(lambda.calls()).toHaveLength(0);
  });

  it("answers 404 for a schedule the group does not have, 405 for another method", async () => {
    scheduler.on(GetScheduleCommand).rejects(new ResourceNotFoundException({ message: "no", Message: "no", $metadata: {} }));
    const missing = await api(request("POST", "/runs", { schedule: "nightly" }));
    expect([missing.statusCode, parsed(missing)]).toEqual([404, { error: "no such schedule" }]);
    const wrong = await api(request("GET", "/runs"));
    expect([wrong.statusCode, parsed(wrong)]).toEqual([405, { error: "GET is not supported on /runs" }]);
    expect(lambda.calls()).toHaveLength(0);
  });

  it.each([
    [
      "targets another function",
      terraformSchedule(input(), "arn:aws:lambda:us-east-1:333333333333:function:elsewhere"),
      "schedule daily-report does not target this environment's processor; it cannot be run from here",
    ],
    [
      "has an input that is not JSON",
      terraformSchedule("{not json"),
      "schedule daily-report cannot be run now: its target input is not JSON",
    ],
    [
      "has an input the processor refuses",
      terraformSchedule(input({ task_type: "defragment" })),
      "schedule daily-report cannot be run now: its target input is not an event the processor runs: invalid event: task_type: " +
        'unknown task "defragment": this function runs report, data_processing, notification',
    ],
    [
      "has a payload its task refuses",
      terraformSchedule(input({ payload: { periodHours: 0 } })),
      "schedule daily-report cannot be run now: its target input is not an event the processor runs: invalid event: payload.periodHours: " +
        "must be an integer from 1 to 8784 (a leap year), got 0",
    ],
  ])("answers 409 for a schedule that %s, running nothing", async (_, found, error) => {
    scheduler.on(GetScheduleCommand).resolves(found);
    const response = await api(request("POST", "/runs", { schedule: "daily-report" }));
    expect([response.statusCode, parsed(response)]).toEqual([409, { error }]);
    expect(lambda.calls()).toHaveLength(0);
  });
});
