import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./lib/processes";

/** Wall time of `npm run rehearse -- --all` (every face against moto_server at once), and each target's steps. */
export async function benchRehearsal() {
  const report = join(mkdtempSync(join(tmpdir(), "bench-rehearsal-")), "report.json");
  const result = await run("npm", ["run", "rehearse", "--", "--all", "--report", report]);
  if (result.code !== 0) throw new Error(`npm run rehearse -- --all failed:\n${result.stdout.slice(-3000)}`);
  if (result.stdout.includes("rehearsal skipped")) return { skipped: result.stdout.trim().split("\n").at(-1) };
  const { reports } = JSON.parse(readFileSync(report, "utf8")) as {
    reports: Array<{ target: string; resources: number; seconds: Record<string, number>; fired: unknown[] }>;
  };
  return {
    wallMs: result.wallMs,
    targets: reports.map((r) => ({ target: r.target, resources: r.resources, schedules: r.fired.length, seconds: r.seconds })),
  };
}

/** The section of RESULTS.md. */
export function renderRehearsal(r: Awaited<ReturnType<typeof benchRehearsal>>): string[] {
  const lines = ["## Rehearsal against an AWS API on loopback", ""];
  if ("skipped" in r) return [...lines, String(r.skipped), ""];
  lines.push(
    `\`npm run rehearse -- --all\`: ${(r.wallMs / 1000).toFixed(0)} s wall, n=1 (every target at once, each against its own ` +
      "moto_server; the last step of `.ci/run`).",
    "",
    "| Target | Resources | Schedules fired | prepare | init | apply | re-plan | fire | teardown |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  const s = (n?: number) => (n === undefined ? "-" : `${n.toFixed(0)} s`);
  for (const t of r.targets)
    lines.push(
      `| ${t.target} | ${t.resources} | ${t.schedules} | ${s(t.seconds.prepare)} | ${s(t.seconds.init)} | ${s(t.seconds.apply)} | ` +
        `${s(t.seconds["re-plan"])} | ${s(t.seconds.fire)} | ${s(t.seconds.teardown)} |`,
    );
  lines.push(
    "",
    "Waiting, not computing: the provider's waiters hold each apply (a bucket's lifecycle configuration about 55 s after the " +
      "bucket, each queue about 25 s) and each destroy, so the targets run side by side on two cores. Inits run one at a time " +
      "(they share the plugin cache); the package target first runs `npm pack` (its prepack builds lib/).",
    "",
  );
  return lines;
}
