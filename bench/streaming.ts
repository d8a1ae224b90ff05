import { Readable } from "node:stream";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { Upload } from "@aws-sdk/lib-storage";
import { bundleFunction, PROJECT_ROOT } from "../modules/function-bundle";

const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };

/** JSON Lines of about `bytes`, one line in 1,000 broken, generated as it is read. */
function generatedSource(bytes: number): { stream: Readable; lines: () => number } {
  let written = 0;
  let lines = 0;
  const stream = new Readable({
    read() {
      if (written >= bytes) return void this.push(null);
      const batch: string[] = [];
      for (let i = 0; i < 2000; i++) {
        lines += 1;
        batch.push(lines % 1000 === 0 ? `{"id": ${lines}, "broken` : JSON.stringify({ id: lines, amount: lines % 997, currency: "EUR", note: "lorem ipsum dolor sit amet, consectetur adipiscing" }));
      }
      const chunk = `${batch.join("\n")}\n`;
      written += Buffer.byteLength(chunk);
      this.push(chunk);
    },
  });
  return { stream, lines: () => lines };
}

async function startEmulator(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--max-old-space-size=16384", join(PROJECT_ROOT, "scripts", "lib", "fauxqs-server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const endpoint = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line).address)));
  return { endpoint, child };
}

function invoke(bundle: string, event: unknown, env: Record<string, string>, nodeOptions = ""): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "scripts", "lib", "run-bundled-handler.js")], {
      env: { PATH: process.env.PATH ?? "", NODE_NO_WARNINGS: "1", NODE_OPTIONS: nodeOptions, ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}), ...env },
      stdio: ["pipe", "ignore", "inherit", "pipe"],
    });
    let outcome = "";
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk) => (outcome += chunk));
    child.on("error", reject);
    child.on("close", () => resolve(JSON.parse(outcome)));
    child.stdin!.end(JSON.stringify({ bundle, event }));
  });
}

/**
 * data_processing of one generated object per size through the bundled handler against the
 * emulator over HTTP: records a second and the handler process's peak RSS.
 */
export async function benchStreaming(sizesMb: readonly number[], nodeOptions = process.env.BENCH_HANDLER_NODE_OPTIONS ?? "") {
  const bundle = bundleFunction("processor").scriptPath;
  const results: Record<string, unknown> = {};
  for (const sizeMb of sizesMb) {
    const emulator = await startEmulator();
    try {
      const options = { endpoint: emulator.endpoint, region: "us-east-1", credentials };
      const s3 = new S3Client(options);
      const bucket = `bench-${sizeMb}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const { TopicArn } = await new SNSClient(options).send(new CreateTopicCommand({ Name: "bench" }));
      const source = generatedSource(sizeMb * 1024 * 1024);
      await new Upload({ client: s3, params: { Bucket: bucket, Key: "incoming/source.jsonl", Body: source.stream }, partSize: 8 * 1024 * 1024, queueSize: 2 }).done();
      const outcome = await invoke(
        bundle,
        { task_type: "data_processing", payload: { requiredFields: ["id"], notifyOnSuccess: false }, schedule: "bench", environment: "bench", scheduled_time: "2026-11-23T10:00:00Z", execution_id: "bench" },
        { AWS_ENDPOINT_URL: emulator.endpoint, AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", BUCKET_NAME: bucket, TOPIC_ARN: TopicArn!, ENVIRONMENT: "bench" },
        nodeOptions,
      );
      if (!outcome.ok) throw new Error(`data_processing of ${sizeMb} MB failed: ${outcome.error.name}: ${outcome.error.message}`);
      const lines = source.lines();
      if (outcome.result.counts.lines !== lines) throw new Error(`line accounting: ${lines} generated, ${outcome.result.counts.lines} counted`);
      results[`${sizeMb}MB`] = {
        lines,
        seconds: outcome.durationMs / 1000,
        recordsPerSecond: lines / (outcome.durationMs / 1000),
        handlerPeakRssMb: outcome.maxRssMb,
      };
    } finally {
      emulator.child.kill("SIGTERM");
    }
  }
  return results;
}
