import { writeFileSync } from "node:fs";
import { findTerraform } from "./lib/offline-terraform";
import { findMotoServer, MOTO_VERSION } from "./lib/rehearsal/moto-server";
import { KNOWN_READ_BACK_DIFFERENCES } from "./lib/rehearsal/read-back-differences";
import { emptyReport, rehearseTarget, type TargetReport } from "./lib/rehearsal/rehearse-target";
import { environmentNames, environmentTarget, moduleTarget, packageTarget, type RehearsalTarget } from "./lib/rehearsal/targets";
import { renderTable } from "./lib/table";

const USAGE = "usage: npm run rehearse -- <env>... | module | package | --all [--report <file.json>]";

/** The targets named on the command line: environments by name, `module`, `package`, or all of them. */
export function selectTargets(args: readonly string[], environments: readonly string[]): { names: string[] } | { error: string } {
  const everything = [...environments, "module", "package"];
  if (args.length === 0) return { error: USAGE };
  if (args.includes("--all")) return args.length === 1 ? { names: everything } : { error: `--all takes no other target\n${USAGE}` };
  const unknown = args.filter((a) => !everything.includes(a));
  if (unknown.length > 0) return { error: `unknown target ${unknown.join(", ")}; known: ${everything.join(", ")}\n${USAGE}` };
  return { names: [...new Set(args)] };
}

/** What is missing to rehearse here, if anything. */
export function missingTools(env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    ...(findTerraform(env) ? [] : ["terraform (1.11 or later)"]),
    ...(findMotoServer(env) ? [] : [`moto_server (pip install "moto[server]==${MOTO_VERSION}")`]),
  ];
}

function targetFor(name: string): RehearsalTarget {
  if (name === "module") return moduleTarget();
  if (name === "package") return packageTarget();
  return environmentTarget(name);
}

function summary(reports: readonly TargetReport[]): string {
  const rows = reports.map((r) => [
    r.target,
    r.ok ? "ok" : "FAILED",
    String(r.resources ?? "-"),
    String(r.seconds.apply ?? "-"),
    `${r.readBack.length} known, ${r.unexplained.length} other`,
    String(r.fired.length),
    String(r.seconds.teardown ?? "-"),
    String(r.leftovers.length),
  ]);
  return renderTable(["target", "result", "resources", "apply s", "re-plan changes", "schedules fired", "teardown s", "left"], rows);
}

function details(report: TargetReport): string[] {
  const lines: string[] = [];
  if (report.failure) lines.push(`  failed at ${report.failure}`);
  for (const f of report.unexplained) {
    const attribute = f.attribute ? ` ${f.attribute}: ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)}` : "";
    lines.push(`  re-plan: ${f.address} ${f.actions.join("/")}${attribute}`);
  }
  const known = [...new Set(report.readBack.map((f) => f.difference))];
  for (const name of known) {
    const addresses = report.readBack.filter((f) => f.difference === name).map((f) => f.address);
    lines.push(`  read-back ${name}: ${addresses.join(", ")}`);
  }
  for (const w of report.workarounds) lines.push(`  emulator workaround: ${w}`);
  if (report.lifted.length > 0) lines.push(`  prevent_destroy lifted in the config for: ${report.lifted.join(", ")}`);
  for (const [bucket, count] of Object.entries(report.emptied)) lines.push(`  emptied ${bucket} (${count} versions) before destroy`);
  for (const s of report.fired)
    lines.push(`  fired ${s.group}/${s.schedule} (${s.task}): ${s.first}, again ${s.again}; ${s.checks.join("; ")}`);
  for (const p of report.problems) lines.push(`  problem: ${p}`);
  for (const l of report.leftovers) lines.push(`  left after destroy: ${l}`);
  if (report.scratch) lines.push(`  logs and working copy: ${report.scratch}`);
  return lines;
}

/**
 * Deploys each face of the product to an AWS API on loopback (moto's server), proves the
 * re-plan is empty but for the emulator's known read-back differences, fires every schedule as
 * Scheduler would and checks what the processor did, tears it down as an operator would, and
 * checks nothing is left. Targets run at once (the provider's waiters dominate, not the CPU).
 */
async function main(args: string[]): Promise<number> {
  // This machine may run an older Node than Lambda does; the SDK's notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const reportAt = args.indexOf("--report");
  const reportFile = reportAt >= 0 ? args[reportAt + 1] : undefined;
  if (reportAt >= 0 && !reportFile) {
    console.error(USAGE);
    return 2;
  }
  const selected = selectTargets(
    args.filter((_, i) => reportAt < 0 || (i !== reportAt && i !== reportAt + 1)),
    environmentNames(),
  );
  if ("error" in selected) {
    console.error(selected.error);
    return 2;
  }
  const missing = missingTools();
  if (missing.length > 0) {
    console.log(`rehearsal skipped: ${missing.join(" and ")} not on PATH (nothing was deployed)`);
    return 0;
  }
  const started = performance.now();
  const abort = new AbortController();
  process.once("SIGINT", () => abort.abort());
  console.log(`rehearsing ${selected.names.join(", ")} against moto_server (one per target)`);
  const reports = await Promise.all(
    selected.names.map((name) =>
      rehearseTarget(targetFor(name), { signal: abort.signal, log: (line) => console.log(line) }).catch(
        (error): TargetReport => emptyReport(name, `start: ${error instanceof Error ? error.message : String(error)}`),
      ),
    ),
  );
  console.log(`\n${summary(reports)}\n`);
  for (const report of reports) {
    console.log(`${report.target}:`);
    for (const line of details(report)) console.log(line);
  }
  const seen = new Set(reports.flatMap((r) => r.readBack.map((f) => f.difference)));
  for (const difference of KNOWN_READ_BACK_DIFFERENCES.filter((d) => seen.has(d.name)))
    console.log(`\n${difference.name}: ${difference.cause}`);
  const failed = reports.filter((r) => !r.ok).map((r) => r.target);
  const seconds = Math.round((performance.now() - started) / 1000);
  if (reportFile) writeFileSync(reportFile, `${JSON.stringify({ seconds, reports }, null, 2)}\n`);
  console.log(`\nrehearsal ${failed.length === 0 ? "passed" : `FAILED for ${failed.join(", ")}`} in ${seconds} s`);
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => (process.exitCode = code));
