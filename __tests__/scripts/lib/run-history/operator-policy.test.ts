import { readFileSync } from "node:fs";
import { join } from "node:path";
import { resourceNames } from "../../../../core/naming";
import { loadEnvironment } from "../../../../environments/load";
import { isTaskSchedule } from "../../../../modules/config/schema";
import { evaluateCalls } from "../../../../scripts/lib/iam-audit/audit";
import { iamCallsOf } from "../../../../scripts/lib/iam-audit/iam-calls";
import { schedulerFake } from "../../../../scripts/lib/iam-audit/scheduler-fake";
import { stackPolicies } from "../../../../scripts/lib/iam-audit/stack-policies";
import { operatorPolicy } from "../../../../scripts/lib/run-history/operator-policy";
import { createSandbox, type Emulator, type ProxiedAws, putText, type Sandbox, useProxiedEmulator } from "../../../support/emulator";
import { byTime, operatorCommand, runAt, WEEK, WEEK_TIMES } from "../../../support/run-history";
import { synthEnvironment } from "../../../support/synth";

const dev = loadEnvironment("dev");
const names = resourceNames(dev);
const OPERATOR_KEY = "OPERATORKEY";

let emulator: Emulator;
let aws: ProxiedAws;
// Scheduler and Lambda, which the emulator lacks: dev's rate() schedule, created on 2026-11-15 at 10:03:27 UTC.
useProxiedEmulator((started) => ({ emulator, aws } = started), {
  answer: schedulerFake(dev.account, dev.region, [
    { Name: "data-processing", GroupName: names.scheduleGroup, CreationDate: Date.parse("2026-11-15T10:03:27Z") / 1000 },
  ]),
});

/** Every command an operator runs, signed with the operator's own key; their requests, in IAM's terms, against dev's policies. */
async function operatorCalls(sandbox: Sandbox) {
  const from = aws.proxy.log.length;
  const as = { AWS_ACCESS_KEY_ID: OPERATOR_KEY };
  const window = ["--from", WEEK.from, "--to", WEEK.to, "--bucket", sandbox.bucket];
  const commands = {
    runs: ["dev", ...window],
    "backfill --dry-run": ["dev", "--schedule", "daily-report", ...window, "--dry-run"],
    backfill: ["dev", "--schedule", "daily-report", ...window, "--include-failed"],
    trigger: ["dev", "weekly-notification"],
  };
  const outputs: Record<string, string> = {};
  for (const [scenario, args] of Object.entries(commands)) {
    const run = await operatorCommand(aws, sandbox, scenario.split(" ")[0], args, as);
    expect({ scenario, status: run.status }).toEqual({ scenario, status: 0 });
    outputs[scenario] = run.stdout;
  }
  const where = { account: dev.account, region: dev.region, partition: "aws" };
  const calls = aws.proxy.log
    .slice(from)
    .filter((r) => r.accessKeyId === OPERATOR_KEY)
    // The sandbox stands in for the environment's bucket.
    .flatMap((r) => iamCallsOf({ ...r, bucket: r.bucket === sandbox.bucket ? names.bucket : r.bucket }, "operator", "operator", where));
  return { calls, outputs };
}

describe("the operator's least-privilege policy", () => {
  const stack = stackPolicies(synthEnvironment(dev).document);
  const withOperator = (document: ReturnType<typeof operatorPolicy>) => ({
    ...stack,
    roles: {
      ...stack.roles,
      operator: { address: "operator", arn: `arn:aws:iam::${dev.account}:role/operator`, policies: [{ name: "operator", document }] },
    },
  });
  let recorded: Awaited<ReturnType<typeof operatorCalls>>;
  beforeAll(async () => {
    const sandbox = await createSandbox(emulator);
    await runAt(aws, sandbox, WEEK_TIMES[0]);
    // An event the failure handler archived for good: history reads failed/ too.
    const archived = { schedule: "daily-report", task: "report", scheduledTime: WEEK_TIMES[1], error: "Boom: for good", attempts: 3 };
    await putText(emulator, sandbox.bucket, "failed/2026-11-17/m-1.json", JSON.stringify(archived));
    recorded = await operatorCalls(sandbox);
  });

  it("allows every call runs, backfill and trigger make, and holds no grant they do not use", async () => {
    const audit = await evaluateCalls(withOperator(operatorPolicy(dev)), recorded.calls);
    const operator = audit.roles.find((r) => r.role === "operator")!;
    expect(operator.calls.filter((c) => !c.allowed)).toEqual([]);
    expect(operator.grants.filter((g) => !g.used)).toEqual([]);
    expect([...new Set(operator.calls.map((c) => c.action))].sort()).toEqual([
      "lambda:InvokeFunction",
      "s3:GetObject",
      "s3:ListBucket",
      "scheduler:GetSchedule",
    ]);
  });

  it("denies, naming the call, what a narrower policy leaves out", async () => {
    const policy = operatorPolicy(dev);
    const narrower = { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "StartRuns") };
    const audit = await evaluateCalls(withOperator(narrower), recorded.calls);
    expect([...new Set(audit.denied.filter((c) => c.role === "operator").map((c) => `${c.action} ${c.resource}`))]).toEqual([
      `lambda:InvokeFunction arn:aws:lambda:us-east-1:${dev.account}:function:scheduler-dev-processor`,
    ]);
  });

  it("reads a rate() schedule's creation from Scheduler, and counts its times from then", () => {
    const lines = recorded.outputs.runs;
    expect(lines).toContain("data-processing      2026-11-16T04:03:27Z");
    expect(lines).toContain("data-processing      2026-11-20T22:03:27Z");
  });

  it("is the policy docs/operations.md gives, placeholders for the environment's names", () => {
    const page = readFileSync(join(__dirname, "..", "..", "..", "..", "docs", "operations.md"), "utf8");
    const section = page.slice(page.indexOf("### Least privilege for the operator"));
    const documented = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]);
    expect(documented).toEqual(operatorPolicy({ name: "<env>", projectName: "<project>", account: "<account>", region: "<region>" }));
  });

  it("needs a decrypt grant only where the bucket has a KMS key of its own", () => {
    const key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(operatorPolicy({ ...dev, storage: { kmsKeyArn: key } }).Statement).toContainEqual({
      Sid: "DecryptRunHistory",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [key],
    });
    expect(operatorPolicy(dev).Statement.map((s) => s.Sid)).not.toContain("DecryptRunHistory");
  });
});

describe("runs with Scheduler's creation time", () => {
  it("states the rate() schedule's times beside its runs, matched within the minute Scheduler fires them", async () => {
    const sandbox = await createSandbox(emulator);
    const schedule = dev.schedules.filter(isTaskSchedule).find((s) => s.name === "data-processing")!;
    // Scheduler's own time for the run created at 10:03:27.
    expect(await runAt(aws, sandbox, "2026-11-16T10:03:00Z", { schedule })).toMatchObject({ result: { status: "completed" } });
    const run = await operatorCommand(aws, sandbox, "runs", [
      "dev",
      "--schedule",
      "data-processing",
      "--bucket",
      sandbox.bucket,
      "--from",
      "2026-11-16",
      "--to",
      "2026-11-17",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    const lines = byTime(run.stdout);
    expect(Object.entries(lines).map(([time, line]) => [time, line.state, line.scheduled])).toEqual([
      ["2026-11-16T04:03:27Z", "missed", true],
      ["2026-11-16T10:03:00Z", "completed", true],
      ["2026-11-16T16:03:27Z", "missed", true],
      ["2026-11-16T22:03:27Z", "missed", true],
    ]);
  });
});
