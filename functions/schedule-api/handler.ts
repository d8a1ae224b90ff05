import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-scheduler";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { MAX_SCHEDULE_NAME_LENGTH, PATTERNS, SCHEDULE_NAME_CHARACTERS } from "../../core/config-rules";
import { nextRuns } from "../../core/schedule-expression";
import { scheduleInput } from "../../core/schedule-input";
import { describeError, type Logger } from "../commons/logger";
import { API_SCHEDULE_PREFIX, parseOneTimeSchedule } from "./one-time-schedule";
import { parseRunRequest, runNowEvent, UnrunnableScheduleError } from "./run-now";

export interface ScheduleApiDependencies {
  readonly scheduler: SchedulerClient;
  /** Starts a run now: the processor invoked as Scheduler invokes it. */
  readonly lambda: LambdaClient;
  readonly environment: string;
  readonly groupName: string;
  readonly targetArn: string;
  readonly roleArn: string;
  readonly deadLetterQueueArn: string;
  readonly retry: { readonly maxAttempts: number; readonly maxEventAgeSeconds: number };
  readonly log: Logger;
  readonly now?: () => Date;
}

type Response = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown): Response => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/**
 * The dynamic scheduling API behind an IAM-authorised function URL:
 *   POST   /schedules         create a one-time at() schedule that deletes itself after it runs
 *   GET    /schedules         list the one-time schedules the API created
 *   GET    /schedules/<name>  show one
 *   DELETE /schedules/<name>  delete one
 *   POST   /runs              run a schedule now: its event, this second, execution id manual-<uuid>
 */
export function createScheduleApi(deps: ScheduleApiDependencies) {
  const now = deps.now ?? (() => new Date());

  async function create(body: unknown): Promise<Response> {
    const { request, problems } = parseOneTimeSchedule(body, now());
    if (!request) return json(400, { error: "invalid schedule", problems });
    const expression = `at(${request.at})`;
    try {
      const created = await deps.scheduler.send(
        new CreateScheduleCommand({
          Name: request.name,
          GroupName: deps.groupName,
          Description: request.description,
          ScheduleExpression: expression,
          ScheduleExpressionTimezone: request.timezone,
          FlexibleTimeWindow: { Mode: "OFF" },
          State: "ENABLED",
          ActionAfterCompletion: "DELETE",
          Target: {
            Arn: deps.targetArn,
            RoleArn: deps.roleArn,
            Input: JSON.stringify(scheduleInput({ name: request.name, task: request.task, payload: request.payload }, deps.environment)),
            RetryPolicy: { MaximumRetryAttempts: deps.retry.maxAttempts, MaximumEventAgeInSeconds: deps.retry.maxEventAgeSeconds },
            DeadLetterConfig: { Arn: deps.deadLetterQueueArn },
          },
        }),
      );
      const [runAt] = nextRuns(expression, { timezone: request.timezone, from: now(), count: 1 });
      deps.log.info("one-time schedule created", { name: request.name, expression, timezone: request.timezone, task: request.task });
      return json(201, {
        name: request.name,
        arn: created.ScheduleArn,
        expression,
        timezone: request.timezone,
        task: request.task,
        runsAt: runAt?.toISOString(),
      });
    } catch (error) {
      if (error instanceof ConflictException) return json(409, { error: `schedule ${request.name} already exists` });
      throw error;
    }
  }

  async function list(): Promise<Response> {
    const schedules: Array<{ name?: string; state?: string; arn?: string; createdAt?: string }> = [];
    let token: string | undefined;
    do {
      const page = await deps.scheduler.send(
        new ListSchedulesCommand({ GroupName: deps.groupName, NamePrefix: API_SCHEDULE_PREFIX, NextToken: token }),
      );
      for (const s of page.Schedules ?? [])
        schedules.push({ name: s.Name, state: s.State, arn: s.Arn, createdAt: s.CreationDate?.toISOString() });
      token = page.NextToken;
    } while (token);
    return json(200, { schedules });
  }

  async function show(name: string): Promise<Response> {
    const schedule = await deps.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: deps.groupName }));
    return json(200, {
      name: schedule.Name,
      arn: schedule.Arn,
      expression: schedule.ScheduleExpression,
      timezone: schedule.ScheduleExpressionTimezone,
      state: schedule.State,
      actionAfterCompletion: schedule.ActionAfterCompletion,
      input: schedule.Target?.Input ? JSON.parse(schedule.Target.Input) : undefined,
    });
  }

  /**
   * A run now of any schedule in the group, recorded like a scheduled run under its own
   * identity: the schedule's own target input (as Terraform or the API wrote it) filled in for
   * this second, and the processor invoked asynchronously, as Scheduler does.
   */
  async function runNow(body: unknown): Promise<Response> {
    const { schedule: name, problems } = parseRunRequest(body);
    if (!name) return json(400, { error: "invalid run request", problems });
    const schedule = await deps.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: deps.groupName }));
    if (schedule.Target?.Arn !== deps.targetArn)
      return json(409, { error: `schedule ${name} does not target this environment's processor; it cannot be run from here` });
    let event: ReturnType<typeof runNowEvent>;
    try {
      event = runNowEvent(schedule.Target.Input ?? "", now());
    } catch (error) {
      if (error instanceof UnrunnableScheduleError) return json(409, { error: `schedule ${name} cannot be run now: ${error.message}` });
      throw error;
    }
    const invoked = await deps.lambda.send(
      new InvokeCommand({ FunctionName: deps.targetArn, InvocationType: "Event", Payload: Buffer.from(JSON.stringify(event)) }),
    );
    deps.log.info("run started now", { schedule: name, scheduled_time: event.scheduled_time, execution_id: event.execution_id });
    return json(202, {
      schedule: name,
      task: event.task_type,
      scheduledTime: event.scheduled_time,
      executionId: event.execution_id,
      state: schedule.State,
      invocationStatus: invoked.StatusCode,
    });
  }

  async function remove(name: string): Promise<Response> {
    await deps.scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: deps.groupName }));
    deps.log.info("one-time schedule deleted", { name });
    return { statusCode: 204 };
  }

  return async function handler(event: APIGatewayProxyEventV2): Promise<Response> {
    const request = readRequest(event);
    if ("error" in request) return json(400, { error: request.error });
    const { method, path } = request;
    const named = /^\/schedules\/([^/]+)$/.exec(path);
    try {
      if (path === "/schedules" && method === "POST") return await create(parseBody(event));
      if (path === "/schedules" && method === "GET") return await list();
      if (path === "/runs" && method === "POST") return await runNow(parseBody(event));
      if (named) {
        const name = scheduleNameIn(named[1]);
        // Terraform owns every other schedule in the group; the API never touches those.
        if (!name.startsWith(API_SCHEDULE_PREFIX))
          return json(403, { error: `only schedules named ${API_SCHEDULE_PREFIX}* are managed by this API` });
        if (method === "GET") return await show(name);
        if (method === "DELETE") return await remove(name);
      }
      if (path === "/schedules" || path === "/runs" || named) return json(405, { error: `${method} is not supported on ${path}` });
      return json(404, { error: `no route for ${method} ${path}` });
    } catch (error) {
      if (error instanceof BadRequestError) return json(400, { error: error.message });
      const answer = schedulerAnswer(error);
      if (answer) return answer;
      deps.log.error("schedule API request failed", { method, path, error: describeError(error) });
      return json(500, { error: "internal error" });
    }
  };
}

/** The request cannot be what it says: answered 400 with the reason. */
class BadRequestError extends Error {
  override readonly name = "BadRequestError";
}

/** Method and path of a function URL request; anything else is a bad request, not a crash. */
function readRequest(event: unknown): { method: string; path: string } | { error: string } {
  if (typeof event !== "object" || event === null) return { error: "not a function URL request: the event is not an object" };
  const { rawPath, requestContext } = event as Partial<APIGatewayProxyEventV2>;
  const method = (requestContext as { http?: { method?: unknown } } | undefined)?.http?.method ?? "GET";
  if (typeof method !== "string") return { error: "not a function URL request: requestContext.http.method is not text" };
  if (rawPath !== undefined && typeof rawPath !== "string") return { error: "not a function URL request: rawPath is not text" };
  return { method, path: (rawPath ?? "/").replace(/\/+$/, "") || "/" };
}

/** A schedule name as the path carries it: percent-decoded, and a name Scheduler could hold. */
function scheduleNameIn(segment: string): string {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`the schedule name in the path is not valid percent-encoding: ${JSON.stringify(segment.slice(0, 100))}`);
  }
  if (!SCHEDULE_NAME.test(name))
    throw new BadRequestError(
      `the schedule name in the path must be 1-${MAX_SCHEDULE_NAME_LENGTH} characters of ${SCHEDULE_NAME_CHARACTERS}, ` +
        `got ${JSON.stringify(name.slice(0, 100))}`,
    );
  return name;
}

const SCHEDULE_NAME = new RegExp(PATTERNS.scheduleName.pattern);

/** What Scheduler refused, answered as the client's mistake it is (or as being busy), never 500. */
function schedulerAnswer(error: unknown): Response | undefined {
  if (error instanceof ResourceNotFoundException) return json(404, { error: "no such schedule" });
  if (error instanceof ValidationException) return json(400, { error: `refused by EventBridge Scheduler: ${error.message}` });
  if (error instanceof ServiceQuotaExceededException)
    return json(429, { error: `EventBridge Scheduler's quota is reached: ${error.message}` });
  if (error instanceof ThrottlingException) return json(429, { error: "EventBridge Scheduler is throttling requests; try again" });
  return undefined;
}

function parseBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body !== undefined && event.body !== null && typeof event.body !== "string") throw new BadRequestError("the body must be JSON");
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, "base64").toString("utf8") : (event.body ?? "");
  try {
    return JSON.parse(raw);
  } catch {
    throw new BadRequestError("the body must be JSON");
  }
}
