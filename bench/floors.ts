import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { Upload } from "@aws-sdk/lib-storage";
import { bundleFunction } from "../modules/bundling/function-bundle";
import { startEmulatorProcess } from "../scripts/lib/emulator-process";
import { invokeBundled } from "../scripts/lib/invoke-bundled";
import { run } from "./lib/processes";
import { type Summary, summarise } from "./lib/stats";

/**
 * The product measured against the least that could do the same job, in one run, alternating
 * product and floor so that the machine's noise falls on both alike.
 */
export interface FloorComparison {
  readonly productMs: Summary;
  readonly floorMs: Summary;
  /** Median product time over median floor time. */
  readonly ratio: number;
  /** Product over floor for each alternating pair: the spread of the ratio. */
  readonly pairRatios: Summary;
}

function compare(product: number[], floor: number[]): FloorComparison {
  const productMs = summarise(product);
  const floorMs = summarise(floor);
  return { productMs, floorMs, ratio: productMs.median / floorMs.median, pairRatios: summarise(product.map((p, i) => p / floor[i])) };
}

const ROOT = join(__dirname, "..");

/**
 * `npx tsx main.ts` (all three environments, whole process) against an app that synthesizes
 * one S3 bucket with the same packages. One unmeasured run of each first: the function bundles
 * are built (or found in their cache) then, as after any checkout.
 */
export async function benchSynthFloor(runs: number): Promise<FloorComparison> {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-floor-"));
  const timed = async (script: string) => {
    const result = await run("npx", ["tsx", script], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir } });
    if (result.code !== 0) throw new Error(`${script} failed:\n${result.stderr}`);
    return result.wallMs;
  };
  const product: number[] = [];
  const floor: number[] = [];
  try {
    await timed("main.ts");
    await timed("bench/probes/floor-synth.ts");
    for (let i = 0; i < runs; i++) {
      floor.push(await timed("bench/probes/floor-synth.ts"));
      product.push(await timed("main.ts"));
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return compare(product, floor);
}

/** The source: JSON Lines of one shape, one line in 1,000 broken. */
function sourceOf(lines: number): Buffer {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    out.push(
      i % 1000 === 0
        ? `{"id": ${i}, "broken`
        : JSON.stringify({ id: i, amount: i % 997, currency: "EUR", note: "lorem ipsum dolor sit amet" }),
    );
  }
  return Buffer.from(`${out.join("\n")}\n`);
}

const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };

/**
 * data_processing of one source (the bundled handler in its own process, as Lambda runs it)
 * against bench/probes/floor-pipeline.js over the same emulator and object: both stream it,
 * split lines, check or parse each, upload in 5 MiB parts, copy the source and delete it. The
 * processor also claims the source, keeps every record byte-exact with its source and line,
 * sets bad lines aside with their reason and records the run. Each timing is the handler's
 * own, without process start-up; the bucket is emptied between runs.
 */
export async function benchProcessorFloor(runs: number, lines: number): Promise<FloorComparison & { lines: number; sourceBytes: number }> {
  const emulator = await startEmulatorProcess(["--max-old-space-size=8192"]);
  try {
    const options = { endpoint: emulator.endpoint, region: "us-east-1", credentials };
    const s3 = new S3Client(options);
    const { TopicArn } = await new SNSClient(options).send(new CreateTopicCommand({ Name: "bench" }));
    const body = sourceOf(lines);
    const env = {
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "bench",
      AWS_SECRET_ACCESS_KEY: "bench",
    };
    const bundle = bundleFunction("processor").scriptPath;
    const bucket = "bench-floor";
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const freshSource = async () => {
      for (;;) {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
        for (const item of listed.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: item.Key! }));
        if (!listed.IsTruncated) break;
      }
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: "incoming/source.jsonl", Body: body },
        partSize: 8 * 1024 * 1024,
      }).done();
    };
    const floorRun = async () => {
      await freshSource();
      const result = await run(process.execPath, [join(__dirname, "probes", "floor-pipeline.js"), bucket, "incoming/source.jsonl"], {
        env: { PATH: process.env.PATH ?? "", ...env },
      });
      if (result.code !== 0) throw new Error(`floor pipeline failed:\n${result.stderr}`);
      const report = JSON.parse(result.stdout.trim()) as { durationMs: number; lines: number };
      if (report.lines !== lines) throw new Error(`floor pipeline read ${report.lines} lines of ${lines}`);
      return report.durationMs;
    };
    const productRun = async (index: number) => {
      await freshSource();
      const outcome = await invokeBundled(
        bundle,
        {
          task_type: "data_processing",
          payload: { requiredFields: ["id"], notifyOnSuccess: false },
          schedule: "bench",
          environment: "bench",
          scheduled_time: `2026-11-23T${String(index).padStart(2, "0")}:00:00Z`,
          execution_id: `bench-${index}`,
        },
        { ...env, BUCKET_NAME: bucket, TOPIC_ARN: TopicArn!, ENVIRONMENT: "bench" },
      );
      if (!outcome.ok) throw new Error(`data_processing failed: ${outcome.error?.name}: ${outcome.error?.message}`);
      if (outcome.result.counts.lines !== lines)
        throw new Error(`line accounting: ${lines} in the source, ${outcome.result.counts.lines} counted`);
      return outcome.durationMs ?? 0;
    };
    const product: number[] = [];
    const floor: number[] = [];
    await floorRun();
    await productRun(0);
    for (let i = 1; i <= runs; i++) {
      floor.push(await floorRun());
      product.push(await productRun(i));
    }
    return { ...compare(product, floor), lines, sourceBytes: body.length };
  } finally {
    await emulator.stop();
  }
}
