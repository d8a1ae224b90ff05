import { join } from "node:path";
import { run } from "./lib/processes";
import { summarise } from "./lib/stats";

interface LocalSummary {
  readonly status: string;
  readonly sources: number;
  readonly lines: number;
  readonly ms: number;
  readonly ms_per_source: number;
  readonly runs_bytes_per_source: number;
  readonly requests_per_source: number;
  readonly invocations: number;
}

/** One `npm run local -- prod data_processing --sources …` in a fresh process; its JSON summary line. */
async function localRun(sources: number, latencyMs: number, workers?: number): Promise<LocalSummary> {
  const args = [
    "--import",
    "tsx",
    join(__dirname, "..", "scripts", "local.ts"),
    "prod",
    "data_processing",
    "--sources",
    String(sources),
    "--latency-ms",
    String(latencyMs),
  ];
  if (workers !== undefined) args.push("--workers", String(workers));
  const result = await run(process.execPath, args);
  const summary = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as LocalSummary;
  if (result.code !== 0 || summary.status !== "completed" || summary.sources !== sources) {
    throw new Error(
      `local run of ${sources} sources (workers ${workers ?? "none"}) failed:\n${result.stdout}\n${result.stderr.slice(-2000)}`,
    );
  }
  return summary;
}

/**
 * Small sources behind a proxy that adds 20 ms to every S3/SNS/SQS request (S3 from Lambda):
 * the time per source and the bytes of run records per source, handled in one invocation;
 * then the same kind of run spread over the work queue and worked by 1, 4 and 16 concurrent
 * invocations, through real SQS delivery.
 */
export async function benchScaleOut(runs: number, fanOutSources: number) {
  const inline: LocalSummary[] = [];
  for (let i = 0; i < runs; i++) inline.push(await localRun(1_000, 20));
  const fanOut: Record<string, unknown> = {};
  for (const workers of [1, 4, 16]) {
    const summary = await localRun(fanOutSources, 20, workers);
    fanOut[String(workers)] = {
      sources: summary.sources,
      seconds: summary.ms / 1000,
      sourcesPerSecond: summary.sources / (summary.ms / 1000),
      linesPerSecond: summary.lines / (summary.ms / 1000),
      invocations: summary.invocations,
      runsBytesPerSource: summary.runs_bytes_per_source,
    };
  }
  return {
    latencyMs: 20,
    inline: {
      sources: 1_000,
      msPerSource: summarise(inline.map((s) => s.ms_per_source)),
      runsBytesPerSource: inline[0].runs_bytes_per_source,
      requestsPerSource: inline[0].requests_per_source,
    },
    fanOut,
  };
}
