import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluateCalls } from "../../scripts/lib/iam-audit/audit";
import type { IamCall } from "../../scripts/lib/iam-audit/iam-calls";
import { stackPolicies } from "../../scripts/lib/iam-audit/stack-policies";
import { parseArgs } from "../../scripts/local";
import { environment, synthEnvironment } from "../support/synth";

const local = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "scripts", "local.ts"), ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });

describe("npm run local", () => {
  it("spreads generated sources over a real queue, works it with several invocations and prints one summary line", async () => {
    const callsFile = join(mkdtempSync(join(tmpdir(), "local-calls-")), "calls.jsonl");
    const run = local("dev", "data_processing", "--sources", "60", "--workers", "3", "--latency-ms", "2", "--iam-calls", callsFile);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      environment: "dev",
      status: "completed",
      sources: 60,
      lines: 240,
      processed: 180,
      quarantined: 60,
      workers: 3,
      invocations: 3,
      latency_ms: 2,
    });
    // A command that succeeds prints nothing else: no stack trace, no log line.
    expect(run.stderr).toBe("");
    // Every call the run made, recorded and evaluated against dev's policies: all allowed.
    const calls: IamCall[] = readFileSync(callsFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(calls.map((c) => c.action)).toEqual(expect.arrayContaining(["s3:PutObject", "s3:ListBucketVersions", "sqs:SendMessage"]));
    const audit = await evaluateCalls(stackPolicies(synthEnvironment(environment("dev")).document), calls);
    expect(audit.denied).toEqual([]);
  });

  it.each([
    [
      ["dev", "data_processing", "--sources", "-5"],
      "--sources takes the number of sources to generate, a whole number of 1 or more, got -5",
    ],
    [["dev", "data_processing", "--workers", "0"], "--workers takes the number of concurrent workers, a whole number of 1 or more, got 0"],
    [
      ["dev", "data_processing", "--sources", "2.5"],
      "--sources takes the number of sources to generate, a whole number of 1 or more, got 2.5",
    ],
    [
      ["dev", "data_processing", "--latency-ms"],
      "--latency-ms takes the number of milliseconds of added latency, a whole number of 0 or more, got nothing",
    ],
  ])("names the bad value of %j", (args, problem) => {
    expect(parseArgs(args)).toEqual({ problem });
  });

  it("accepts what it documents", () => {
    expect(parseArgs(["dev", "data_processing", "--sources", "3", "--workers", "1", "--latency-ms", "0"])).toEqual({
      envName: "dev",
      task: "data_processing",
      sources: 3,
      workers: 1,
      latencyMs: 0,
      logs: undefined,
      iamCalls: undefined,
    });
  });

  it("explains its arguments when they are wrong", () => {
    const run = local("dev", "report", "--workers", "3");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "usage: npm run local -- <env> <report|data_processing|notification> [--sources <n>] [--workers <k>] [--latency-ms <ms>] [--logs " +
        "<file>]",
    );
  });

  it("names an unknown environment in one line and exits 2", () => {
    const run = local("qa", "report");
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('no environment "qa"; known: dev, prod, staging');
  });
});
