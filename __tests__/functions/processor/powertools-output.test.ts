import { createSocket } from "node:dgram";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { invokeBundledWarm } from "../../../scripts/lib/invoke-bundled";
import { createSandbox, type Emulator, type ProxiedAws, putText, type Sandbox, useProxiedEmulator } from "../../support/emulator";
import { taskEvent } from "../../support/processor-harness";

/** The log and metric lines the deployed processor bundle writes, read as CloudWatch and Logs Insights will. */
let emulator: Emulator;
let aws: ProxiedAws;
const bundle = bundleFunction("processor").scriptPath;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const SERVICE = "scheduler-test-processor";
const TRACE_ID = "Root=1-6745d6a0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";

/** What the stacks set on the function (modules/constructs/bundled-function.ts), and what Lambda sets. */
const envFor = (sandbox: Sandbox, logLevel = "INFO") => ({
  ...aws.awsEnv,
  BUCKET_NAME: sandbox.bucket,
  TOPIC_ARN: sandbox.topicArn,
  ENVIRONMENT: "test",
  AWS_LAMBDA_FUNCTION_NAME: SERVICE,
  POWERTOOLS_SERVICE_NAME: SERVICE,
  POWERTOOLS_METRICS_NAMESPACE: "ScheduledTasks",
  POWERTOOLS_LOG_LEVEL: logLevel,
  POWERTOOLS_TRACE_ENABLED: "false",
  _X_AMZN_TRACE_ID: TRACE_ID,
});

const logLines = (lines: any[]) => lines.filter((line) => typeof line.level === "string");
const metricLines = (lines: any[]) => lines.filter((line) => line._aws);

describe("bundled processor's Powertools output", () => {
  let sandbox: Sandbox;
  let first: Awaited<ReturnType<typeof invokeBundledWarm>>[number];
  let second: Awaited<ReturnType<typeof invokeBundledWarm>>[number];
  const report = taskEvent("report", { execution_id: "c0ffee00-0000-4000-8000-0000000000aa" });
  const data = taskEvent("data_processing", { execution_id: "c0ffee00-0000-4000-8000-0000000000bb", schedule: "nightly-import" });

  beforeAll(async () => {
    sandbox = await createSandbox(emulator);
    await putText(emulator, sandbox.bucket, "incoming/a.jsonl", '{"id":1}\n');
    // One container: a cold start, then a warm invocation of another task.
    [first, second] = await invokeBundledWarm(bundle, [report, data], envFor(sandbox));
  });

  it("runs both invocations", () => {
    expect([first.ok, second.ok]).toEqual([true, true]);
    expect(first.stderr).toBe("");
  });

  it("writes structured JSON logs with the Lambda context, the service and the trace id", () => {
    for (const [invocation, coldStart] of [
      [first, true],
      [second, false],
    ] as const) {
      const logs = logLines(invocation.lines);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) {
        expect(line).toMatchObject({
          level: expect.stringMatching(/^(DEBUG|INFO|WARN|ERROR)$/),
          message: expect.any(String),
          timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          service: SERVICE,
          cold_start: coldStart,
          function_name: SERVICE,
          function_request_id: invocation.requestId,
          xray_trace_id: "1-6745d6a0-0123456789abcdef01234567",
        });
      }
    }
  });

  it("puts the run's identity on every line of its invocation, the execution id as correlation id, and never on the next", () => {
    const identity = (event: typeof report) => ({
      task: event.task_type,
      schedule: event.schedule,
      execution_id: event.execution_id,
      scheduled_time: event.scheduled_time,
      attempt: 1,
      correlation_id: event.execution_id,
    });
    for (const [invocation, event] of [
      [first, report],
      [second, data],
    ] as const) {
      const logs = logLines(invocation.lines);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expect(line).toMatchObject({ ...identity(event), attempt_id: expect.any(String) });
    }
    expect(logLines(second.lines).some((line) => line.execution_id === report.execution_id)).toBe(false);
  });

  it("publishes each run's metrics with the service dimension, and ColdStart once a container", () => {
    const runLine = (invocation: typeof first) => metricLines(invocation.lines).find((line) => "TaskExecution" in line);
    for (const [invocation, event] of [
      [first, report],
      [second, data],
    ] as const) {
      const line = runLine(invocation);
      expect(line).toMatchObject({
        service: SERVICE,
        task: event.task_type,
        environment: "test",
        schedule: event.schedule,
        TaskExecution: 1,
      });
      const [directive] = line._aws.CloudWatchMetrics;
      expect(directive.Namespace).toBe("ScheduledTasks");
      for (const set of directive.Dimensions) expect(set).toContain("service");
    }
    const coldStarts = [first, second].map((invocation) => metricLines(invocation.lines).filter((line) => "ColdStart" in line));
    expect(coldStarts.map((lines) => lines.length)).toEqual([1, 0]);
    expect(coldStarts[0][0]).toMatchObject({ ColdStart: 1, service: SERVICE, function_name: SERVICE });
  });

  it("writes no line below POWERTOOLS_LOG_LEVEL", async () => {
    const [quiet] = await invokeBundledWarm(bundle, [taskEvent("report")], envFor(await createSandbox(emulator), "ERROR"));
    expect(quiet.ok).toBe(true);
    expect(logLines(quiet.lines)).toEqual([]);
    expect(metricLines(quiet.lines).length).toBeGreaterThan(0);
  });
});

describe("bundled processor's traces", () => {
  it("sends X-Ray subsegments for the handler, annotated with task and schedule, and for each AWS call", async () => {
    const daemon = createSocket("udp4");
    const documents: any[] = [];
    daemon.on("message", (message) => {
      // The X-Ray daemon protocol: a header line, then one segment document.
      const [, body] = message.toString("utf8").split("\n");
      documents.push(JSON.parse(body));
    });
    await new Promise<void>((resolve) => daemon.bind(0, "127.0.0.1", resolve));
    try {
      const sandbox = await createSandbox(emulator);
      await putText(emulator, sandbox.bucket, "incoming/a.jsonl", '{"id":1}\n');
      const [run] = await invokeBundledWarm(bundle, [taskEvent("data_processing")], {
        ...envFor(sandbox),
        POWERTOOLS_TRACE_ENABLED: "true",
        // What Lambda sets with tracing mode Active.
        AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
        LAMBDA_TASK_ROOT: "/var/task",
        _HANDLER: "index.handler",
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
        AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
      });
      expect(run.ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const all = documents.flatMap(function flatten(d: any): any[] {
        return [d, ...(d.subsegments ?? []).flatMap(flatten)];
      });
      const handlerSegment = all.find((d) => d.name === "## index.handler");
      expect(handlerSegment).toBeDefined();
      expect(handlerSegment.trace_id).toBe("1-6745d6a0-0123456789abcdef01234567");
      expect(handlerSegment.annotations).toMatchObject({
        task: "data_processing",
        schedule: "data-processing-test",
        ColdStart: true,
        Service: SERVICE,
      });
      const calls = all.filter((d) => d.namespace === "aws").map((d) => `${d.name} ${d.aws?.operation}`);
      expect(calls).toEqual(expect.arrayContaining(["S3 GetObject", "S3 PutObject", "SNS Publish"]));
    } finally {
      daemon.close();
    }
  });
});
