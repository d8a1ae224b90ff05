import type { ChildProcess } from "node:child_process";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { invokeBundled } from "../../../scripts/lib/invoke-bundled";
import type { ProxiedRequest } from "../../../scripts/lib/s3-proxy";
import { auditBucket, cleanAudit, type SourcesIn } from "../../support/bucket-audit";
import { createSandbox, type Emulator, putText, startEmulator, startProxy } from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

/**
 * The bundled processor killed (SIGKILL, as a Lambda timeout or crash would end it) at each
 * step of a run, just before the step reaches S3 or just after it took effect; then the same
 * event again, as Lambda's retry delivers it, to a fresh handler (in this process: a second
 * cold start per case would only cost time). Whatever the step, the bucket ends as one clean
 * run leaves it, and the run is announced once.
 */
let emulator: Emulator;
const bundle = bundleFunction("processor").scriptPath;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const isRecord = (key = "") => /^runs\/data_processing\/[^/]+\/[^/]+\.json$/.test(key);
type Step = readonly [name: string, matches: (r: ProxiedRequest) => boolean, occurrence: number];
const STEPS: Step[] = [
  ["take the run's lease", (r) => r.action === "PutObject" && (r.key ?? "").endsWith("/lease.json"), 1],
  ["claim the source", (r) => r.action === "PutObject" && (r.key ?? "").startsWith("claims/"), 1],
  ["write processed/", (r) => r.action === "PutObject" && (r.key ?? "").startsWith("processed/"), 1],
  ["write quarantine/", (r) => r.action === "PutObject" && (r.key ?? "").startsWith("quarantine/"), 1],
  ["record the source in the run", (r) => r.action === "PutObject" && (r.key ?? "").includes("/sources/"), 1],
  ["copy the source to archive/", (r) => r.action === "CopyObject", 1],
  ["delete the source from incoming/", (r) => r.action === "DeleteObject" && (r.key ?? "").startsWith("incoming/"), 1],
  ["write the run record", (r) => r.action === "PutObject" && isRecord(r.key), 1],
  ["publish the notice", (r) => r.service === "sns" && r.action === "Publish", 1],
  ["mark the run announced", (r) => r.action === "PutObject" && isRecord(r.key), 2],
];

async function crashThenRetry(step: Step, when: "before" | "after") {
  const [, matches, occurrence] = step;
  const sandbox = await createSandbox(emulator);
  const sources: SourcesIn = [["incoming/orders.jsonl", '{"id":1}\n{"id":2,"id":3}\n{"id":4}\n']];
  for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
  let child: ChildProcess | undefined;
  let seen = 0;
  let crashed = false;
  const aws = await startProxy(emulator, {
    fault: (r) => {
      if (crashed || !matches(r) || ++seen !== occurrence) return undefined;
      crashed = true;
      return { kind: "interrupt", when, interrupt: () => child?.kill("SIGKILL") };
    },
  });
  try {
    const env = {
      ...aws.awsEnv,
      BUCKET_NAME: sandbox.bucket,
      TOPIC_ARN: sandbox.topicArn,
      ENVIRONMENT: "test",
      SOURCE_CONCURRENCY: "1",
      RUN_LEASE_TTL_MS: "400",
    };
    const event = taskEvent("data_processing", { schedule: "hourly" });
    const killed = await invokeBundled(bundle, event, env, { onStart: (c) => (child = c) });
    expect(crashed).toBe(true);
    expect(killed.ok).toBe(false);
    const { handler } = processorHarness(aws, sandbox, { concurrency: 1, leaseTtlMs: 400 });
    expect(await handler(event, plentyOfTime)).toMatchObject({ counts: { sources: 1, lines: 3, processed: 2, quarantined: 1 } });
    return { audit: await auditBucket(emulator, sandbox.bucket, sources), sources, notices: await sandbox.notices() };
  } finally {
    await aws.proxy.stop();
  }
}

describe.each(["before", "after"] as const)("killed just %s a step, then retried", (when) => {
  it.concurrent.each(STEPS.map((step) => [step[0], step] as const))("%s", async (_, step) => {
    const { audit, sources, notices } = await crashThenRetry(step, when);
    expect(audit).toEqual(cleanAudit(sources));
    const announced = notices.filter((n) => n.attributes.status === "completed").length;
    // The one window S3 and SNS cannot close: published, then killed before the mark is written.
    const betweenPublishAndMark =
      (when === "after" && step[0] === "publish the notice") || (when === "before" && step[0] === "mark the run announced");
    expect(announced).toBe(betweenPublishAndMark ? 2 : 1);
  });
});
