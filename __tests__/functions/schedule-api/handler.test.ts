import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from "@aws-sdk/client-scheduler";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { parseTaskEvent } from "../../../functions/commons/task-event";
import { createScheduleApi } from "../../../functions/schedule-api/handler";
import { recordingLogger } from "../../support/recording-logger";

const scheduler = mockClient(SchedulerClient);
const api = createScheduleApi({
  scheduler: new SchedulerClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } }),
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

beforeEach(() => scheduler.reset());

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
      { field: "name", reason: 'must be 1-59 characters of 0-9 A-Z a-z _ . - (the API adds "once-")' },
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
});
