import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformCliEnv } from "../offline-terraform";
import { oneInitAtATime, runTerraform, type TerraformStep, TerraformStepError } from "../terraform-runner";
import { emulatorClients, writeEmulatorOverride } from "./emulator-aws";
import { liftConditionalDenies, removeHttpSubscriptions } from "./emulator-workarounds";
import { type FiredSchedule, fireSchedules, stateResources } from "./fire-schedules";
import { startMotoServer } from "./moto-server";
import { classifyReplan, type ReplanFinding } from "./read-back-differences";
import type { RehearsalTarget } from "./targets";
import { emptyBucket, leftovers } from "./teardown";

/** Terraform's error blocks (`Error: ...` up to the next blank-line-separated block), without the plan it printed. */
export function diagnostics(output: string): string {
  const blocks = output
    .split(/\n\s*\n/)
    .filter((block, i, all) => /^\s*(│\s*)?Error: /.test(block) || /^\s*(│\s*)?Error: /.test(all[i - 1] ?? ""));
  return (blocks.length > 0 ? blocks.join("\n\n") : output.trim().split("\n").slice(-20).join("\n")).slice(0, 4000);
}

export interface TargetReport {
  readonly target: string;
  readonly ok: boolean;
  /** The step that failed, and why. */
  readonly failure?: string;
  readonly resources?: number;
  readonly seconds: Record<string, number>;
  readonly readBack: ReplanFinding[];
  readonly unexplained: ReplanFinding[];
  readonly fired: FiredSchedule[];
  readonly problems: string[];
  readonly workarounds: string[];
  readonly lifted: string[];
  readonly emptied: Record<string, number>;
  readonly leftovers: string[];
  /** Kept when the rehearsal failed, with terraform's and moto's logs. */
  readonly scratch?: string;
}

/** A report with nothing in it yet: what a target that has not started (or failed to) reports. */
export function emptyReport(target: string, failure?: string): { -readonly [K in keyof TargetReport]: TargetReport[K] } {
  return {
    target,
    ok: false,
    ...(failure !== undefined ? { failure } : {}),
    seconds: {},
    readBack: [],
    unexplained: [],
    fired: [],
    problems: [],
    workarounds: [],
    lifted: [],
    emptied: {},
    leftovers: [],
  };
}

/**
 * One target's rehearsal against its own moto server, in a scratch folder: init from the
 * provider mirror, apply, a second plan (empty but for the known read-back differences), every
 * schedule fired as Scheduler would and its run checked, then the operator's teardown
 * (protection lifted in the config, bucket emptied, destroy) and a check that nothing is left.
 */
export async function rehearseTarget(
  target: RehearsalTarget,
  options: { signal?: AbortSignal; log: (line: string) => void },
): Promise<TargetReport> {
  const scratch = mkdtempSync(join(tmpdir(), `rehearsal-${target.name}-`));
  const log = (line: string) => {
    options.log(`${target.name}: ${line}`);
    appendFileSync(join(scratch, "rehearsal.log"), `${new Date().toISOString()} ${line}\n`);
  };
  const report = emptyReport(target.name);
  let step = "start moto_server";
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    step = name;
    const started = performance.now();
    try {
      return await work();
    } finally {
      report.seconds[name] = Math.round((performance.now() - started) / 100) / 10;
    }
  };

  const moto = await startMotoServer(target.accountId, join(scratch, "moto.log"));
  log(`moto_server pid ${moto.pid} on ${moto.endpoint}, account ${target.accountId}; working in ${scratch}`);
  const clients = emulatorClients(moto.endpoint, target.region);
  try {
    const directory = await timed("prepare", () => target.prepare(scratch));
    writeEmulatorOverride(directory, moto.endpoint);
    const env = terraformCliEnv();
    const terraform = async (name: TerraformStep, args: string[], accepted: number[] = [0]) => {
      const logFile = join(scratch, `terraform-${step}.log`);
      try {
        const output = await runTerraform(name, [name, "-no-color", "-input=false", ...args], directory, env, accepted, options.signal);
        writeFileSync(logFile, output);
        return output;
      } catch (error) {
        if (!(error instanceof TerraformStepError)) throw error;
        writeFileSync(logFile, error.output);
        throw new Error(`terraform ${name} failed (exit ${error.exitCode}); its output is in ${logFile}:\n${diagnostics(error.output)}`);
      }
    };
    await timed("init", () => oneInitAtATime(() => terraform("init", [])));
    await timed("apply", () => terraform("apply", ["-auto-approve"]));
    const state = () => runTerraform("show", ["show", "-json", "-no-color"], directory, env).then(JSON.parse);
    const applied = stateResources(await state());
    report.resources = applied.length;
    log(`applied ${applied.length} resources in ${report.seconds.apply} s`);

    await timed("re-plan", async () => {
      await terraform("plan", ["-out=replan", "-detailed-exitcode"], [0, 2]);
      const plan = JSON.parse(await runTerraform("show", ["show", "-json", "-no-color", "replan"], directory, env));
      const { explained, unexplained } = classifyReplan(plan);
      report.readBack.push(...explained);
      report.unexplained.push(...unexplained);
    });
    log(`re-plan: ${report.readBack.length} known emulator read-back differences, ${report.unexplained.length} unexplained`);

    // The emulator's two differences that would stop the processor (emulator-workarounds.ts).
    const buckets = applied.filter((r) => r.type === "aws_s3_bucket").map((r) => String(r.values.bucket));
    const restorations: Array<() => Promise<void>> = [];
    for (const bucket of buckets) {
      const { lifted, restore } = await liftConditionalDenies(clients, bucket);
      restorations.push(restore);
      if (lifted.length > 0) report.workarounds.push(`${bucket}: bucket policy without ${lifted.join(", ")} while firing and emptying`);
    }
    for (const topic of applied.filter((r) => r.type === "aws_sns_topic").map((r) => String(r.values.arn))) {
      const removed = await removeHttpSubscriptions(clients, topic);
      if (removed.length > 0) report.workarounds.push(`${topic}: https subscriptions removed (${removed.join(", ")})`);
    }
    const firing = await timed("fire", () =>
      fireSchedules({ clients, endpoint: moto.endpoint, region: target.region, directory, scratch, state: applied, log }),
    );
    report.fired.push(...firing.fired);
    report.problems.push(...firing.problems);

    // The operator's teardown: protection lifted in the config, the bucket emptied, destroy.
    await timed("teardown", async () => {
      report.lifted.push(...(await target.liftProtection(scratch, directory)));
      for (const bucket of buckets) report.emptied[bucket] = await emptyBucket(clients, bucket);
      for (const restore of restorations) await restore();
      await terraform("destroy", ["-auto-approve"]);
    });
    const remaining = stateResources(await state());
    if (remaining.length > 0) report.problems.push(`the state still holds ${remaining.map((r) => r.address).join(", ")}`);
    report.leftovers.push(...(await leftovers(clients)));
    log(`destroyed in ${report.seconds.teardown} s; ${report.leftovers.length} left in the account`);
    const ok = report.unexplained.length === 0 && report.problems.length === 0 && report.leftovers.length === 0;
    if (ok) rmSync(scratch, { recursive: true, force: true });
    return { ...report, ok, ...(ok ? {} : { scratch }) };
  } catch (error) {
    const failure = `${step}: ${error instanceof Error ? error.message : String(error)}`;
    log(`failed at ${failure.split("\n")[0]}`);
    return { ...report, ok: false, failure, scratch };
  } finally {
    await moto.stop();
  }
}
