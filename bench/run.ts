import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, type as osType, release, totalmem } from "node:os";
import { join } from "node:path";
import { benchBundle } from "./bundle";
import { benchProcessorFloor, benchSynthFloor, type FloorComparison } from "./floors";
import type { Summary } from "./lib/stats";
import { benchRehearsal, renderRehearsal } from "./rehearsal";
import { benchScaleOut } from "./scale-out";
import { benchStreaming, YOUNG_GENERATION_CAP } from "./streaming";
import { benchScaling, benchSynth } from "./synth";
import { benchTerraform } from "./terraform";
import { benchTestSuite } from "./test-suite";

/**
 * `npm run bench [-- --quick] [-- --only synth,bundle]`: runs the benchmarks one after another
 * (never inside the test suite) and writes bench/RESULTS.md and bench/results.json.
 * `npm run bench -- --render` writes RESULTS.md again from results.json.
 */
async function main(args: string[]) {
  // This machine may run an older Node than Lambda does; the SDK's notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  if (args.includes("--render")) {
    // Re-renders RESULTS.md from results.json, e.g. after the wording here changed.
    const saved = JSON.parse(readFileSync(join(__dirname, "results.json"), "utf8"));
    writeFileSync(join(__dirname, "RESULTS.md"), renderResults(saved.machine, saved.results));
    return;
  }
  const quick = args.includes("--quick");
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(",")) : undefined;
  const runs = quick ? 3 : 5;
  const wanted = (name: string) => !only || only.has(name);
  // A partial run (--only) keeps the other sections of the last results.
  const resultsFile = join(__dirname, "results.json");
  const previous = only && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : undefined;
  const results: Record<string, unknown> = previous?.results ?? {};
  const machine = previous?.machine ?? {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${osType()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    mode: quick ? "quick" : "full",
  };
  // Written after every section, so a failure late in a long run keeps what was measured.
  const save = () => {
    writeFileSync(resultsFile, `${JSON.stringify({ machine, results }, null, 2)}\n`);
    writeFileSync(join(__dirname, "RESULTS.md"), renderResults(machine, results as any));
  };
  const section = async (name: string, measure: () => Promise<unknown>) => {
    if (!wanted(name)) return;
    process.stderr.write(`bench: ${name}...\n`);
    results[name] = await measure();
    // A section measured after the rest says when.
    if (previous) machine.remeasured = { ...machine.remeasured, [name]: new Date().toISOString() };
    save();
  };
  await section("synthFloor", () => benchSynthFloor(quick ? 3 : 5));
  await section("processorFloor", () => benchProcessorFloor(quick ? 3 : 5, quick ? 200_000 : 727_849));
  await section("synth", () => benchSynth(runs));
  await section("scaling", () => benchScaling(quick ? 1 : 3));
  await section("terraform", () => benchTerraform(quick ? 2 : 3));
  await section("bundle", () => benchBundle(quick ? 5 : 9));
  await section("streaming", () => benchStreaming(quick ? [10, 100] : [10, 100, 1024]));
  await section("scaleOut", () => benchScaleOut(quick ? 1 : 3, quick ? 2_000 : 10_000));
  await section("testSuite", () => benchTestSuite(quick ? 1 : 3));
  await section("rehearsal", () => benchRehearsal());

  save(); // also renders RESULTS.md again when no section ran (`--only render`)
  process.stderr.write("bench: wrote bench/RESULTS.md and bench/results.json\n");
}

const ms = (s?: Summary) => (s ? `${fmt(s.median)} ms (${fmt(s.min)}–${fmt(s.max)}, n=${s.runs})` : "not measured");
const mb = (s?: Summary) => (s ? `${fmt(s.median)} MB (${fmt(s.min)}–${fmt(s.max)}, n=${s.runs})` : "not measured");
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const verdict = (met: boolean | undefined) => (met === undefined ? "not measured" : met ? "met" : "**not met**");
const summaryRatio = (s: Summary) => `${s.median.toFixed(2)}x (pairs ${s.min.toFixed(2)}–${s.max.toFixed(2)}, n=${s.runs})`;

function renderResults(machine: Record<string, unknown>, r: any): string {
  const lines: string[] = [
    "# Benchmark results",
    "",
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}. ` +
      `Node ${machine.node}. ${machine.date} (${machine.mode} run)${
        machine.remeasured
          ? `; measured again later: ${Object.entries(machine.remeasured)
              .map(([name, date]) => `${name} ${date}`)
              .join(", ")}`
          : ""
      }.`,
    "Figures are the median of several runs, with min–max and n. The machine is shared and noisy: compare ratios, not absolutes.",
    "",
  ];
  const synth = r.synth;
  const scaling = r.scaling;
  const bundled = r.bundle?.bundled;
  const streaming = r.streaming;
  const largest = streaming ? Object.values(streaming as Record<string, { handlerPeakRssMb: number }>).at(-1) : undefined;
  const rssGrowth = largest && streaming?.["10MB"] ? largest.handlerPeakRssMb - streaming["10MB"].handlerPeakRssMb : undefined;
  lines.push("## Targets", "", "| Target | Measured | Verdict |", "| --- | --- | --- |");
  const ratio = (c?: FloorComparison) =>
    c
      ? `${c.ratio.toFixed(2)}x (pairs ${c.pairRatios.min.toFixed(2)}–${c.pairRatios.max.toFixed(2)}, n=${c.pairRatios.runs})`
      : "not measured";
  lines.push(
    `| \`npx tsx main.ts\` ≤ 1.25x the floor app (whole process) | ${ratio(r.synthFloor)} | ` +
      `${verdict(r.synthFloor ? r.synthFloor.ratio <= 1.25 : undefined)} |`,
  );
  lines.push(
    `| data_processing ≤ 1.3x the floor pipeline (same source, same emulator) | ${ratio(r.processorFloor)} | ` +
      `${verdict(r.processorFloor ? r.processorFloor.ratio <= 1.3 : undefined)} |`,
  );
  lines.push(
    `| Three-environment synth under 2 s in-process | ${ms(synth?.inProcessAllMs)} | ` +
      `${verdict(synth ? synth.inProcessAllMs.median < 2000 : undefined)} |`,
  );
  lines.push(
    `| Synth at 1,000 schedules within 10x of 100 | ${scaling ? `${scaling.ratio1000to100.toFixed(2)}x` : "not measured"} | ` +
      `${verdict(scaling ? scaling.ratio1000to100 <= 10 : undefined)} |`,
  );
  lines.push(
    `| Processor module load under 100 ms | ${ms(bundled?.coldModuleLoadMs)} | ` +
      `${verdict(bundled ? bundled.coldModuleLoadMs.median < 100 : undefined)} |`,
  );
  const againstBaseline = r.bundle?.againstBaseline;
  lines.push(
    `| Processor module load ≤ 1.25x ${againstBaseline?.label ?? "0.2.0's"} loaded in alternating pairs | ` +
      `${againstBaseline ? summaryRatio(againstBaseline.pairRatios) : "not measured"} | ` +
      `${verdict(againstBaseline ? againstBaseline.pairRatios.median <= 1.25 : undefined)} |`,
  );
  lines.push(
    `| Peak RSS of the largest input within 50 MB of the 10 MB run | ` +
      `${rssGrowth === undefined ? "not measured" : `${rssGrowth.toFixed(1)} MB more`} | ` +
      `${verdict(rssGrowth === undefined ? undefined : rssGrowth <= 50)} |`,
  );
  const scaleOut = r.scaleOut;
  const fannedOutBytes = scaleOut?.fanOut["16"]?.runsBytesPerSource;
  const runsBytes = scaleOut && {
    text: `${scaleOut.inline.runsBytesPerSource} B in one invocation, ${fannedOutBytes ?? "?"} B fanned out`,
    largest: Math.max(scaleOut.inline.runsBytesPerSource, fannedOutBytes ?? 0),
  };
  lines.push(
    `| ≤ 25 ms per one-line source at 20 ms per request (1,000 sources) | ${ms(scaleOut?.inline.msPerSource)} | ` +
      `${verdict(scaleOut ? scaleOut.inline.msPerSource.median <= 25 : undefined)} |`,
  );
  lines.push(
    `| ≤ 2 KB written under runs/ per source | ${runsBytes === undefined ? "not measured" : runsBytes.text} | ` +
      `${verdict(runsBytes === undefined ? undefined : runsBytes.largest <= 2048)} |`,
  );
  lines.push(
    `| \`npm test\` ≤ 60 s (without \`npm ci\`) | ${ms(r.testSuite?.npmTestMs)} | ` +
      `${verdict(r.testSuite ? r.testSuite.npmTestMs.median <= 60000 : undefined)} |`,
  );
  lines.push("");
  if (r.synthFloor) {
    const c: FloorComparison = r.synthFloor;
    lines.push(
      "## Synth against its floor",
      "",
      "| Whole process | Time |",
      "| --- | --- |",
      `| \`npx tsx main.ts\`: dev, staging and prod, three function bundles | ${ms(c.productMs)} |`,
      `| Floor: one S3 bucket, same cdktf and provider packages (bench/probes/floor-synth.ts) | ${ms(c.floorMs)} |`,
      "",
      `Ratio ${ratio(c)}, runs alternating. Most of either is Node, tsx and loading cdktf; what the app adds: validating three configs, ` +
        `about 60 resources per stack, and checking that each function bundle is current (its sources, the lockfile and the build ` +
        `options hash to the name of a cached bundle; esbuild runs only when that changes). Missed-run windows are computed once per ` +
        `expression, zone and window. During synth, stack traces are neither source-mapped nor formatted: CDKTF captures one for ` +
        `every token it creates. zod's 60 locale files are not loaded (the config's messages are the product's own), and the zip ` +
        `library loads only when a bundle is built. What remains over the floor is mostly CDKTF resolving the tokens of about 190 ` +
        `resources (its resolve walks every value) and loading some 30 more provider classes and the app's 90 modules through tsx.`,
      "",
    );
  }
  if (r.processorFloor) {
    const c = r.processorFloor as FloorComparison & { lines: number; sourceBytes: number };
    lines.push(
      "## data_processing against its floor",
      "",
      `One JSON Lines source of ${(c.sourceBytes / 1e6).toFixed(0)} MB (${c.lines.toLocaleString("en-US")} lines, one in 1,000 broken), ` +
        `the same emulator for both, the bucket emptied between runs; the handler's own time, without process start-up.`,
      "",
      "| Handler | Time |",
      "| --- | --- |",
      `| data_processing (bundled processor, its own process) | ${ms(c.productMs)} |`,
      `| Floor: stream, split, JSON.parse and JSON.stringify each line, 5 MiB parts, copy, delete (bench/probes/floor-pipeline.js) | ` +
        `${ms(c.floorMs)} |`,
      "",
      `Ratio ${ratio(c)}. The processor does more than the floor, by design: it claims the source and records the run (a handful of ` +
        `small requests), checks each record without rebuilding it (grammar, duplicate keys, required fields) so a valid one is kept ` +
        `byte for byte, and writes each as \`{"source":…,"line":N,"record":…}\`: 1.6x the floor's bytes for this source, and the ` +
        `upload, its signing and checksums scale with them. Without that wrapper it measured 1.2–1.3x. Lines that are all ASCII are ` +
        `decoded a chunk at a time (one decode, string offsets are byte offsets), and output text is encoded straight into the ` +
        `upload's buffers.`,
      "",
    );
  }
  if (synth) {
    lines.push("## Synth", "", "| What | Time |", "| --- | --- |");
    lines.push(`| All three environments, in-process (after imports) | ${ms(synth.inProcessAllMs)} |`);
    lines.push(`| Imports before synth (cdktf, provider bindings, esbuild) | ${ms(synth.importMs)} |`);
    for (const [name, s] of Object.entries(synth.perEnvironmentMs)) lines.push(`| ${name} alone, in-process | ${ms(s as Summary)} |`);
    lines.push(`| \`cdktf synth\` (CLI, whole process) | ${ms(synth.cdktfSynthCliMs)} |`, "");
  }
  if (scaling) {
    lines.push("## Scaling (prod with N schedules)", "", "| Schedules | Synth | Peak RSS |", "| --- | --- | --- |");
    for (const [size, s] of Object.entries(scaling.bySchedules) as Array<[string, any]>)
      lines.push(`| ${size} | ${ms(s.synthMs)} | ${mb(s.maxRssMb)} |`);
    lines.push(
      "",
      `1,000 / 100 schedules: ${scaling.ratio1000to100.toFixed(2)}x the synth time for 10x the schedules, i.e. linear or better (each ` +
        `schedule adds a schedule, a missed-run alarm and a year of simulated runs).`,
      "",
    );
  }
  if (r.terraform) {
    lines.push("## Terraform (offline, per environment, after init)", "");
    if (r.terraform.skipped) lines.push(r.terraform.skipped, "");
    else {
      lines.push("| Environment | validate | plan |", "| --- | --- | --- |");
      for (const [name, t] of Object.entries(r.terraform) as Array<[string, any]>)
        lines.push(`| ${name} | ${ms(t.validateMs)} | ${ms(t.planMs)} |`);
      lines.push("");
    }
  }
  if (r.bundle) {
    lines.push("## Processor bundle", "", "| AWS SDK | Bundle | Zip | Cold module load |", "| --- | --- | --- | --- |");
    for (const [sdk, b] of Object.entries(r.bundle) as Array<[string, any]>) {
      if (sdk === "againstBaseline") continue;
      const name = sdk === "baseline" ? `${r.bundle.againstBaseline?.label ?? "baseline"} SDK bundled` : sdk;
      lines.push(`| ${name} | ${b.scriptKiB.toFixed(0)} KiB | ${b.zipKiB.toFixed(0)} KiB | ${ms(b.coldModuleLoadMs)} |`);
    }
    lines.push(
      "",
      "Bundled is the choice: one minified file loads faster than the SDK's many files from node_modules, and it pins the SDK version " +
        "the tests ran.",
      "",
    );
    const baseline = r.bundle.againstBaseline;
    if (baseline)
      lines.push(
        `Against ${baseline.label.replace(/,$/, "")} (its \`functions/\` and \`core/\` at ${baseline.ref}, bundled with ` +
          "today's options and lockfile, loaded alternately with today's in the same run): " +
          `${summaryRatio(baseline.pairRatios)}. Powertools Logger, Metrics and Batch load with every function; ` +
          "the Tracer (and the X-Ray SDK) is in the bundle but runs only where tracing is on.",
        "",
      );
  }
  if (streaming) {
    lines.push(
      "## data_processing over the emulator (bundled handler, its own process)",
      "",
      "| Input | Lines | Time | Records/s | Handler peak RSS |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const [size, s] of Object.entries(streaming) as Array<[string, any]>) {
      lines.push(
        `| ${size} | ${s.lines.toLocaleString("en-US")} | ${s.seconds.toFixed(1)} s | ` +
          `${Math.round(s.recordsPerSecond).toLocaleString("en-US")} | ${s.handlerPeakRssMb.toFixed(0)} MB |`,
      );
    }
    lines.push(
      "",
      "The source is read as a stream and split into lines one chunk at a time; outputs are handed to multipart uploads in 256 KiB " +
        "pieces and go up as 5 MiB parts, two in flight and one filling. The peak (the kernel's high-water mark, what Lambda reports " +
        "as Max Memory Used) is mostly module load, about 110 MB before any work. Before the 256 KiB hand-over, each short write (a " +
        "quarantined line) pinned one 8 KiB slab of Node's buffer pool until its part was full: this benchmark measured 246 MB for 1 " +
        "GB. Joining the parts of a 1.6 GB output takes the emulator several seconds without a byte on the wire (S3 sends whitespace " +
        "meanwhile), which is why CompleteMultipartUpload alone may idle up to 120 s.",
      "",
    );
    const capped = (Object.entries(streaming) as Array<[string, any]>).find(([, s]) => s.youngGenerationCapped);
    if (capped) {
      const [size, s] = capped;
      lines.push(
        `Where the rest of the peak goes: V8 grows its young generation (three semi-spaces, up to 16 MiB each on 64-bit) to match the ` +
          `allocation rate, so a run that allocates fast for long enough settles about 40–50 MB higher than a short one, whatever ` +
          `the input size after that. The ${size} run again with \`NODE_OPTIONS=${YOUNG_GENERATION_CAP}\` (semi-spaces capped at 4 ` +
          `MiB): ${s.youngGenerationCapped.handlerPeakRssMb.toFixed(0)} MB peak in ${s.youngGenerationCapped.seconds.toFixed(1)} s, ` +
          `against ${s.handlerPeakRssMb.toFixed(0)} MB in ${s.seconds.toFixed(1)} s. The function keeps V8's default: the plateau is ` +
          `a ceiling, not growth with the input, and it fits every environment's memory with room to spare. Capping the young ` +
          `generation is what would meet the 50 MB target; it trades memory nobody is short of for more frequent minor collections.`,
        "",
      );
    }
  }
  if (scaleOut) {
    lines.push(
      "## Many small sources at S3 latency",
      "",
      `Every request to S3, SNS and SQS goes through a loopback proxy that adds ${scaleOut.latencyMs} ms (a fair figure for S3 from ` +
        `Lambda) and enforces S3's conditional writes. Sources of four lines each (one bad), the bundled handler in its own process ` +
        `with prod's settings (16 sources at a time).`,
      "",
      `One invocation, 1,000 sources: ${ms(scaleOut.inline.msPerSource)} per source, ${scaleOut.inline.requestsPerSource} requests and ` +
        `${scaleOut.inline.runsBytesPerSource} bytes of run records per source. (Before: one source at a time, 8 requests each, 142 ` +
        `ms per source, and a manifest rewritten whole after every source: 152 KB per source at 1,000 sources.)`,
      "",
      "| Workers (concurrent invocations) | Sources | Time | Sources/s | Invocations | Run records per source |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const [workers, f] of Object.entries(scaleOut.fanOut) as Array<[string, any]>) {
      lines.push(
        `| ${workers} | ${f.sources.toLocaleString("en-US")} | ${f.seconds.toFixed(1)} s | ${Math.round(f.sourcesPerSecond)} | ` +
          `${f.invocations} | ${f.runsBytesPerSource} B |`,
      );
    }
    lines.push(
      "",
      "How the cost grows: requests grow linearly with the sources (about seven each: claim, read, write processed and quarantine, " +
        "record, archive, delete; listing and the run's summary are shared). Run records grow linearly too: one small record per " +
        "source, its line in the summary, and for a fanned-out run its line in the plan and in its batch's result; no record is " +
        "rewritten as the run grows. Time per source is the request latency times the requests, divided by the sources in flight (16 " +
        "per invocation times the workers), until something else saturates: here the one machine running the emulator, the proxy and " +
        "every worker, which is why 16 workers are not 16 times faster than one. On AWS each worker is its own Lambda and S3 scales " +
        "with the request rate, so throughput grows with `fanOut.maxConcurrency` until S3's per-prefix request rates (3,500 " +
        "writes/s) are reached.",
      "",
    );
  }
  if (r.testSuite) {
    lines.push(
      "## Test suite",
      "",
      `\`npm test\` (tsc, biome and the fast jest suites): ${ms(r.testSuite.npmTestMs)}.`,
      "",
      "The suites that drive slow tools or whole processes end to end (Terraform plans and tests, the IAM audit, the packed " +
        "package in fresh apps, bundles under each Node, kills, the operator's commands, the chaos campaign) run in " +
        "`npm run test:deep` (`__tests__/support/suites.js` lists them), which `.ci/run` runs after `npm test`; the rehearsal " +
        "against the AWS API emulator runs after both. `npm test` shares one synthesis of the environments across suites " +
        "(jest's global set-up, with one emulator) and runs them in three workers, side by side with the type-check and Biome " +
        "(scripts/test.js): the processor's suites wait on leases and the emulator part of their time.",
      "",
    );
  }
  if (r.rehearsal) lines.push(...renderRehearsal(r.rehearsal));
  return `${lines.join("\n")}\n`;
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
