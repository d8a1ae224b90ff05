// Invokes a bundled Lambda handler in a fresh Node process, as the Lambda runtime would:
// the event arrives on stdin, logs go to stdout, and the outcome is written to fd 3.
const { writeSync } = require("node:fs");

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", async () => {
  const { bundle, event, remainingMs } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const deadline = Date.now() + (remainingMs ?? 900000);
  const report = (outcome) => writeSync(3, JSON.stringify(outcome));
  try {
    const { handler } = require(bundle);
    const result = await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() });
    report({ ok: true, result });
  } catch (error) {
    report({ ok: false, error: { name: error?.name, message: error?.message } });
  }
});
