import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { validateEnvironment } from "../../modules/config/validate";
import { runBackfillCommand } from "../../scripts/backfill";
import { operatorPolicy } from "../../scripts/lib/run-history/operator-policy";
import { runRunsCommand } from "../../scripts/runs";
import { runTriggerCommand } from "../../scripts/trigger";
import type { Emulator, ProxiedAws } from "../support/emulator";
import { createSandbox, getText, keysUnder, useProxiedEmulator } from "../support/emulator";
import { environment } from "../support/synth";

let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started), { versioning: "ledger/in/" });

/** dev with the example ledger task and an hourly schedule of it (cron: its times need no creation date). */
function withLedger(): EnvironmentConfig {
  const dev = environment("dev");
  const result = validateEnvironment({
    ...dev,
    tasks: { ledger: { entry: "examples/own-task/ledger.ts", reads: ["ledger/in/"], writes: ["ledger/out/"] } },
    schedules: [...dev.schedules, { name: "ledger-hourly", expression: "cron(0 * * * ? *)", task: "ledger", payload: { currency: "EUR" } }],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const config = withLedger();
const entry = (account: string, amount: number) => `${JSON.stringify({ account, amount, currency: "EUR" })}\n`;

/**
 * An operator's command in this process, its --local function pointed at the emulator as the
 * command's own process would be (it sets the variables the function reads; they are put back).
 */
async function command(run: typeof runTriggerCommand, args: string[], topicArn: string, now = new Date()) {
  const saved = { ...process.env };
  Object.assign(process.env, aws.awsEnv, { TOPIC_ARN: topicArn, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  let out = "";
  let err = "";
  try {
    const code = await run(args, { out: (t) => (out += t), err: (t) => (err += t), now: () => now, loadEnvironment: () => config });
    return { code, out, err };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe("the operator's commands on an own task's schedule", () => {
  it("trigger runs the task's own function (its bundle here with --local), recorded under runs/<task>/, which runs lists", async () => {
    const sandbox = await createSandbox(emulator);
    await aws.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: "ledger/in/day.jsonl", Body: entry("A-1", 2) }));
    const now = new Date("2026-11-23T10:17:03.000Z");
    const ran = await command(runTriggerCommand, ["dev", "ledger-hourly", "--local", "--bucket", sandbox.bucket], sandbox.topicArn, now);
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/^2026-11-23T10:17:03Z manual-[0-9a-f-]{36} completed\n$/);
    expect(ran.err).toContain("ran ledger-hourly now through the own task ledger's bundle here");
    const record = JSON.parse(await getText(emulator, sandbox.bucket, "runs/ledger/2026-11-23T10:17:03Z/ledger-hourly.json"));
    expect([record.status, record.counts]).toEqual(["completed", { entries: 1, accounts: 1 }]);
    expect(await keysUnder(emulator, sandbox.bucket, "ledger/in/")).toEqual([]);
    expect(await keysUnder(emulator, sandbox.bucket, "ledger/out/")).toHaveLength(1);

    const listed = await command(
      runRunsCommand as typeof runTriggerCommand,
      ["dev", "--schedule", "ledger-hourly", "--bucket", sandbox.bucket, "--from", "2026-11-23T10:00:00Z", "--to", "2026-11-23T10:30:00Z"],
      sandbox.topicArn,
      new Date("2026-11-23T10:30:00Z"),
    );
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("2026-11-23T10:17:03Z");
    expect(listed.out).toContain("completed");
  });

  it("backfill fires the missed hours to the task's own function, each run once", async () => {
    const sandbox = await createSandbox(emulator);
    await aws.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: "ledger/in/late.jsonl", Body: entry("A-2", 5) }));
    const args = ["dev", "--schedule", "ledger-hourly", "--from", "2026-11-23T07:30:00Z", "--to", "2026-11-23T09:30:00Z"];
    const fired = await command(
      runBackfillCommand as typeof runTriggerCommand,
      [...args, "--local", "--bucket", sandbox.bucket],
      sandbox.topicArn,
      new Date("2026-11-23T10:00:00Z"),
    );
    expect(fired.code).toBe(0);
    expect(
      fired.out
        .trim()
        .split("\n")
        .map((line) => line.split(" ")[0]),
    ).toEqual(["2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z"]);
    expect(fired.err).toContain("through the own task ledger's bundle here");
    const records = await keysUnder(emulator, sandbox.bucket, "runs/ledger/");
    expect(records.filter((key) => /^runs\/ledger\/[^/]+\/ledger-hourly\.json$/.test(key))).toEqual([
      "runs/ledger/2026-11-23T08:00:00Z/ledger-hourly.json",
      "runs/ledger/2026-11-23T09:00:00Z/ledger-hourly.json",
    ]);
    // The source was booked by the first run only.
    const counts = await Promise.all(
      records.filter((k) => k.endsWith("/ledger-hourly.json")).map((k) => getText(emulator, sandbox.bucket, k)),
    );
    expect(counts.map((text) => JSON.parse(text).counts)).toEqual([
      { entries: 1, accounts: 1 },
      { entries: 0, accounts: 0 },
    ]);

    // Again: nothing left to fire.
    const again = await command(
      runBackfillCommand as typeof runTriggerCommand,
      [...args, "--local", "--bucket", sandbox.bucket],
      sandbox.topicArn,
      new Date("2026-11-23T10:00:00Z"),
    );
    expect(again.code).toBe(0);
    expect(again.out).toBe("");
  });

  it("lets the operator invoke the processor and each own task's function, and nothing else", () => {
    const statement = operatorPolicy(config).Statement.find((s) => s.Sid === "StartRuns")!;
    expect(statement.Resource).toEqual([
      `arn:aws:lambda:${config.region}:${config.account}:function:${config.projectName}-dev-processor`,
      `arn:aws:lambda:${config.region}:${config.account}:function:${config.projectName}-dev-task-ledger`,
    ]);
  });
});
