// Invokes a bundled Lambda handler in a fresh Node process, as the Lambda runtime would:
// the event arrives on stdin, logs go to stdout, and the outcome (with the handler's duration
// and the process's peak memory) is written to fd 3. Used by tests and benchmarks.
const { writeSync } = require("node:fs");

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", async () => {
  const { bundle, event, remainingMs } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const deadline = Date.now() + (remainingMs ?? 900000);
  const measures = (started) => ({ durationMs: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024 });
  const report = (outcome) => writeSync(3, JSON.stringify(outcome));
  const failure = (error) => ({ ok: false, error: { name: error?.name, message: error?.message } });
  let handler;
  try {
    ({ handler } = require(bundle));
  } catch (error) {
    report(failure(error)); // a cold-start failure, as Lambda reports an init error
    return;
  }
  const started = performance.now();
  try {
    const result = await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() });
    report({ ok: true, result, ...measures(started) });
  } catch (error) {
    report({ ...failure(error), ...measures(started) });
  }
});
