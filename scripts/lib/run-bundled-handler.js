// Invokes a bundled Lambda handler in a fresh Node process, as the Lambda runtime would:
// the events arrive on stdin and run one after another in this one process (a cold start, then
// warm invocations), each with a Lambda context of its own; logs go to stdout, and the outcomes
// (with each handler's duration and this process's own peak memory so far) are written to fd 3.
// Used by tests and benchmarks.
const { randomUUID } = require("node:crypto");
const { writeSync } = require("node:fs");
const { peakRssMb } = require("./peak-rss.js");

/** What Lambda passes a Node handler: the names Powertools reads, and the time left. */
function lambdaContext(remainingMs) {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? "local-function";
  const region = process.env.AWS_REGION ?? "us-east-1";
  const deadline = Date.now() + (remainingMs ?? 900000);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
}

// Lambda says how this container started; Powertools counts a cold start only for "on-demand".
process.env.AWS_LAMBDA_INITIALIZATION_TYPE ??= "on-demand";

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", async () => {
  const { bundle, events, remainingMs } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  // Which Node ran it: the tests run each bundle under its runtime's major.
  const measures = (started) => ({ durationMs: performance.now() - started, maxRssMb: peakRssMb(), nodeVersion: process.versions.node });
  const report = (outcomes) => writeSync(3, JSON.stringify(outcomes));
  const failure = (error) => ({ ok: false, error: { name: error?.name, message: error?.message } });
  let handler;
  try {
    ({ handler } = require(bundle));
  } catch (error) {
    report([failure(error)]); // a cold-start failure, as Lambda reports an init error
    return;
  }
  const outcomes = [];
  for (const event of events) {
    const context = lambdaContext(remainingMs);
    // Not JSON: the reader splits stdout into invocations here and keeps only JSON lines.
    process.stdout.write(`--- invocation ${context.awsRequestId}\n`);
    const started = performance.now();
    // Wall-clock bounds of the invocation, to tell which recorded requests it made.
    const window = () => ({ startedAt, endedAt: Date.now() });
    const startedAt = Date.now();
    try {
      const result = await handler(event, context);
      outcomes.push({ ok: true, result, requestId: context.awsRequestId, ...measures(started), ...window() });
    } catch (error) {
      outcomes.push({ ...failure(error), requestId: context.awsRequestId, ...measures(started), ...window() });
    }
  }
  report(outcomes);
});
