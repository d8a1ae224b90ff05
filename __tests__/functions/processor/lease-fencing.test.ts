import { createS3Client } from "../../../functions/commons/aws-clients";
import type { ProxiedRequest } from "../../../scripts/lib/s3-proxy";
import { auditBucket, cleanAudit, type SourcesIn } from "../../support/bucket-audit";
import { createSandbox, type Emulator, putText, REGION, startEmulator, startProxy } from "../../support/emulator";
import { plentyOfTime, processorHarness, taskEvent } from "../../support/processor-harness";

/**
 * An attempt that is alive but whose lease ran out (S3 refused its renewals, and a duplicate
 * delivery took the run over) must not announce the run as well: the lease is confirmed by a
 * conditional write just before the announcement, not taken on trust from a heartbeat whose
 * failures it never saw. (The chaos campaign met this once, with seed 172222037, on a loaded
 * machine where renewals took longer than the campaign's 200 ms lease.)
 */
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const LEASE_TTL_MS = 600;
const isRunLeaseRenewal = (r: ProxiedRequest) =>
  r.action === "PutObject" && /^runs\/.*\/lease\.json$/.test(r.key ?? "") && r.headers["if-match"] !== undefined;

it.each([
  ["refused until the other attempt finished the run", "another attempt took over this run; it will finish and announce it", true],
  ["refused throughout", "injected fault", false],
])(
  "a live attempt whose lease was taken over while its renewals were %s announces nothing; the run is announced once",
  async (_, firstError, outageEnds) => {
    const sandbox = await createSandbox(emulator);
    const sources: SourcesIn = [["incoming/orders.jsonl", '{"id":1}\nnot json\n']];
    for (const [key, body] of sources) await putText(emulator, sandbox.bucket, key, body);
    let startSecond!: () => void;
    const secondMayStart = new Promise<void>((resolve) => (startSecond = resolve));
    let secondFinished = false;
    const aws = await startProxy(emulator, {
      fault: (r) => {
        if (r.bucket !== sandbox.bucket || r.accessKeyId !== "first") return undefined;
        // A partial outage on the first attempt's lease writes: its heartbeat fails, and it does not learn why.
        if (isRunLeaseRenewal(r) && !(outageEnds && secondFinished)) return { kind: "error", status: 500, code: "InternalError" };
        // The first attempt reads its source slowly: the second takes the run over meanwhile.
        if (r.action === "GetObject" && (r.key ?? "").startsWith("incoming/")) {
          startSecond();
          return { kind: "delay", ms: 4 * LEASE_TTL_MS };
        }
        return undefined;
      },
    });
    try {
      const s3 = (accessKeyId: string) =>
        createS3Client({ endpoint: aws.proxy.endpoint, region: REGION, credentials: { accessKeyId, secretAccessKey: "test" } });
      const first = processorHarness({ ...aws, s3: s3("first") }, sandbox, { leaseTtlMs: LEASE_TTL_MS });
      const second = processorHarness({ ...aws, s3: s3("second") }, sandbox, { leaseTtlMs: LEASE_TTL_MS });
      const event = taskEvent("data_processing", { schedule: "hourly" });
      const firstOutcome = first.handler(event, plentyOfTime).then(
        (outcome) => ({ outcome }),
        (error: Error) => ({ error: error.message }),
      );
      await secondMayStart;
      const secondOutcome = await second.handler(event, plentyOfTime);
      secondFinished = true;
      expect(secondOutcome).toMatchObject({ status: "completed", counts: { sources: 1, lines: 2 } });
      expect(await firstOutcome).toEqual({ error: firstError });
      expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual(cleanAudit(sources));
      const notices = await sandbox.notices();
      expect(notices.filter((n) => n.attributes.status === "completed").map((n) => n.subject)).toEqual([
        "[test] OK data_processing hourly: 1 sources, 2 lines, 1 processed, 1 quarantined",
      ]);
    } finally {
      await aws.proxy.stop();
    }
  },
);
