import { Readable } from "node:stream";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { Upload } from "@aws-sdk/lib-storage";
import { bundleFunction } from "../modules/bundling/function-bundle";
import { startEmulatorProcess } from "../scripts/lib/emulator-process";
import { invokeBundled } from "../scripts/lib/invoke-bundled";

const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
export const YOUNG_GENERATION_CAP = "--max-semi-space-size=4";

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
        batch.push(
          lines % 1000 === 0
            ? `{"id": ${lines}, "broken`
            : JSON.stringify({
                id: lines,
                amount: lines % 997,
                currency: "EUR",
                note: "lorem ipsum dolor sit amet, consectetur adipiscing",
              }),
        );
      }
      const chunk = `${batch.join("\n")}\n`;
      written += Buffer.byteLength(chunk);
      this.push(chunk);
    },
  });
  return { stream, lines: () => lines };
}

/**
 * data_processing of one generated object per size through the bundled handler against the
 * emulator over HTTP: records a second and the handler process's peak RSS.
 */
export async function benchStreaming(sizesMb: readonly number[]) {
  const bundle = bundleFunction("processor").scriptPath;
  const results: Record<string, unknown> = {};
  for (const sizeMb of sizesMb) {
    const emulator = await startEmulatorProcess(["--max-old-space-size=16384"]);
    try {
      const options = { endpoint: emulator.endpoint, region: "us-east-1", credentials };
      const s3 = new S3Client(options);
      const { TopicArn } = await new SNSClient(options).send(new CreateTopicCommand({ Name: "bench" }));
      /** One run over a fresh bucket; `nodeOptions` as Lambda's NODE_OPTIONS would pass them. */
      const run = async (bucket: string, nodeOptions = "") => {
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        const source = generatedSource(sizeMb * 1024 * 1024);
        await new Upload({
          client: s3,
          params: { Bucket: bucket, Key: "incoming/source.jsonl", Body: source.stream },
          partSize: 8 * 1024 * 1024,
          queueSize: 2,
        }).done();
        const outcome = await invokeBundled(
          bundle,
          {
            task_type: "data_processing",
            payload: { requiredFields: ["id"], notifyOnSuccess: false },
            schedule: "bench",
            environment: "bench",
            scheduled_time: "2026-11-23T10:00:00Z",
            execution_id: "bench",
          },
          {
            NODE_OPTIONS: nodeOptions,
            AWS_ENDPOINT_URL: emulator.endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "bench",
            AWS_SECRET_ACCESS_KEY: "bench",
            BUCKET_NAME: bucket,
            TOPIC_ARN: TopicArn!,
            ENVIRONMENT: "bench",
          },
        );
        if (!outcome.ok) throw new Error(`data_processing of ${sizeMb} MB failed: ${outcome.error?.name}: ${outcome.error?.message}`);
        const lines = source.lines();
        if (outcome.result.counts.lines !== lines)
          throw new Error(`line accounting: ${lines} generated, ${outcome.result.counts.lines} counted`);
        const seconds = (outcome.durationMs ?? 0) / 1000;
        return { lines, seconds, recordsPerSecond: lines / seconds, handlerPeakRssMb: outcome.maxRssMb };
      };
      const measured = await run(`bench-${sizeMb}`);
      // The largest input again with V8's young generation capped (semi-spaces of 4 MiB, not
      // 16): shows how much of the peak is that generation grown to match the allocation rate.
      const capped = sizeMb === sizesMb.at(-1) ? await run(`bench-${sizeMb}-capped`, YOUNG_GENERATION_CAP) : undefined;
      results[`${sizeMb}MB`] = capped
        ? { ...measured, youngGenerationCapped: { seconds: capped.seconds, handlerPeakRssMb: capped.handlerPeakRssMb } }
        : measured;
    } finally {
      await emulator.stop();
    }
  }
  return results;
}
