import { ListObjectVersionsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import fc from "fast-check";
import { bundleFunction } from "../../modules/bundling/function-bundle";
import type { Fault, ProxiedRequest } from "../../scripts/lib/s3-proxy";
import { auditBucket, cleanAudit } from "./bucket-audit";
import { createSandbox, type Emulator, getText, keysUnder, type ProxiedAws, type Sandbox, startProxy } from "./emulator";
import { plentyOfTime, taskEvent } from "./processor-harness";

/**
 * A seeded campaign of random sequences against the bundle `npm run build` writes, loaded in
 * this process, through the enforcing, fault-injecting proxy: uploads (good lines, bad lines,
 * values a double cannot hold, raw tabs and carriage returns between tokens; keys with non-ASCII
 * characters, spaces, `+`, `%`, `./` and `../` segments or a trailing `/`; a fixed key
 * overwritten when the bucket keeps versions), runs at new scheduled times, replays of earlier
 * ones, two runs at once, and faults on one kind of request: single failures the SDK retries,
 * bursts past its retries (an S3 partial outage), and lost answers (the write happens, the
 * answer is an error, and the SDK's retry meets the write already done). Then, with the faults
 * gone: a catch-up run, a replay of every time, a report and a digest (each twice) over the
 * whole period. Whatever the sequence, the promise holds.
 */

type Kind = "claims-put" | "runs-put" | "lease-put" | "outputs-put" | "copy" | "delete" | "read" | "list" | "publish";
type Step =
  | {
      readonly op: "upload";
      readonly key: number;
      readonly good: number;
      readonly bad: number;
      readonly exotic: boolean;
      /** An odd name (ODD_NAMES) instead of a plain one. */
      readonly odd: number | null;
    }
  | { readonly op: "run" }
  | { readonly op: "replay"; readonly pick: number }
  | { readonly op: "together"; readonly pick: number }
  | { readonly op: "fault"; readonly kind: Kind; readonly burst: number }
  /** The next `burst` writes of one kind take effect, and their answers are lost. */
  | { readonly op: "lose"; readonly kind: WriteKind; readonly burst: number };

const KINDS: readonly Kind[] = ["claims-put", "runs-put", "lease-put", "outputs-put", "copy", "delete", "read", "list", "publish"];
/**
 * Writes whose answers may be lost. Not SNS's Publish: a lost answer there is a message SNS
 * delivers while the SDK sends it again, a duplicate no receiver of a standard topic is spared.
 */
type WriteKind = "claims-put" | "runs-put" | "lease-put" | "outputs-put" | "copy" | "delete";
const WRITE_KINDS: readonly WriteKind[] = ["claims-put", "runs-put", "lease-put", "outputs-put", "copy", "delete"];

/** Stems of odd source names; each upload adds its own number (or, versioned, a fixed one). */
const ODD_NAMES = ["Bestellung-日本", "with space+plus%", "./dot/../dotdot", "emoji-😀/", " spaced "] as const;

const matches: Record<Kind, (r: ProxiedRequest) => boolean> = {
  "claims-put": (r) => r.action === "PutObject" && (r.key ?? "").startsWith("claims/"),
  "runs-put": (r) => r.action === "PutObject" && (r.key ?? "").startsWith("runs/"),
  // Renewals and releases (If-Match): the writes a holder makes while it holds the run.
  "lease-put": (r) => r.action === "PutObject" && /^runs\/.*\/lease\.json$/.test(r.key ?? "") && r.headers["if-match"] !== undefined,
  "outputs-put": (r) => r.action === "PutObject" && /^(processed|quarantine)\//.test(r.key ?? ""),
  copy: (r) => r.action === "CopyObject",
  delete: (r) => r.action === "DeleteObject",
  read: (r) => r.action === "GetObject" && (r.key ?? "").startsWith("incoming/"),
  list: (r) => r.action === "ListObjectVersions" || r.action === "ListObjectsV2",
  publish: (r) => r.service === "sns" && r.action === "Publish",
};

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("upload" as const),
      key: fc.nat(2),
      good: fc.integer({ min: 0, max: 3 }),
      bad: fc.integer({ min: 0, max: 2 }),
      exotic: fc.boolean(),
      odd: fc.option(fc.nat(ODD_NAMES.length - 1), { freq: 2 }),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ op: "run" as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("replay" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("together" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("fault" as const), kind: fc.constantFrom(...KINDS), burst: fc.integer({ min: 1, max: 6 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("lose" as const),
      kind: fc.constantFrom(...WRITE_KINDS),
      burst: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

export const campaignArbitrary = fc.record({ versioned: fc.boolean(), steps: fc.array(stepArbitrary, { minLength: 3, maxLength: 10 }) });

const LEASE_TTL_MS = 200;

/** An odd source name: `stem` with this upload's `name` in it (a stem ending in `/` keeps the slash last). */
function oddKey(stem: string, name: string): string {
  return stem.endsWith("/") ? `incoming/${stem.slice(0, -1)}-${name}/` : `incoming/${stem}-${name}.jsonl`;
}
const hour = (index: number) => new Date(Date.UTC(2027, 0, 5, 0) + index * 3_600_000).toISOString().replace(".000Z", "Z");

interface Outcome {
  readonly audit: Awaited<ReturnType<typeof auditBucket>>;
  readonly expected: Awaited<ReturnType<typeof auditBucket>>;
  readonly versionsLeft: number;
  readonly reportTotal: string | undefined;
  readonly wantedTotal: string;
  readonly successNoticesPerRun: number[];
  /** Scheduled times whose lone run said another attempt took it over. */
  readonly phantomTakeovers: string[];
  readonly digests: number;
}

/** Runs one sequence in a fresh bucket; returns what the invariants compare. */
export async function runSequence(
  emulator: Emulator,
  campaign: { versioned: boolean; steps: readonly Step[] },
  sequence: number,
): Promise<Outcome> {
  const aws = await startProxy(emulator, { versioning: campaign.versioned });
  const sandbox = await createSandbox(emulator, "chaos");
  const savedEnv = { ...process.env };
  const handler = loadBundle(aws, sandbox);
  const sources: Array<[string, string]> = [];
  const times: string[] = [];
  let faultsLeft = 0;
  let faultKind: Kind | undefined;
  let answersLost = false;
  aws.proxy.setFault((r) => {
    if (!faultKind || faultsLeft <= 0 || !matches[faultKind](r)) return undefined;
    // A lost answer is one request's: the SDK's retry of it (attempt 2 or 3) reaches S3 and is answered.
    if (answersLost && !/attempt=1(;|$)/.test(String(r.headers["amz-sdk-request"] ?? "attempt=1"))) return undefined;
    faultsLeft -= 1;
    return { kind: "error", status: 500, code: "InternalError", when: answersLost ? "after" : "before" } satisfies Fault;
  });
  // A run alone (no other attempt of its time) that gives up its lease was misled by a lost answer.
  const phantomTakeovers: string[] = [];
  const run = (time: string, alone = true) =>
    handler(taskEvent("data_processing", { scheduled_time: time, schedule: "hourly" }), plentyOfTime).catch((error: Error) => {
      if (alone && /another attempt took over/.test(error.message)) phantomTakeovers.push(time);
    });
  try {
    let uploads = 0;
    for (const step of campaign.steps) {
      if (step.op === "upload") {
        uploads += 1;
        // Unique content per upload (an identical re-upload would be the same source); a fixed key only where versions are kept.
        const name = campaign.versioned ? `drop-${step.key}` : `s${sequence}-${uploads}`;
        const key = step.odd === null ? `incoming/${name}.jsonl` : oddKey(ODD_NAMES[step.odd], name);
        const lines = [
          ...Array.from({ length: step.good }, (_, i) =>
            step.exotic && i === 0
              ? `{"u":${uploads},"big":12345678901234567890,"e":1e400}`
              : step.exotic && i === 1
                ? `{"u":${uploads},\r"cr":\t"line breaks between tokens"}`
                : `{"u":${uploads},"i":${i}}`,
          ),
          ...Array.from({ length: step.bad }, (_, i) => (i % 2 === 0 ? `bad ${uploads}.${i}` : `{"u":${uploads},"u":0}`)),
        ];
        const body = `${lines.join("\n")}${lines.length > 0 ? "\n" : ""}`;
        if (body === "") continue;
        await (campaign.versioned ? aws.s3 : emulator.s3)
          .send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: body }))
          .catch(() => undefined);
        sources.push([key, body]);
      } else if (step.op === "run") {
        times.push(hour(times.length));
        await run(times[times.length - 1]);
      } else if (step.op === "replay" && times.length > 0) {
        await run(times[step.pick % times.length]);
      } else if (step.op === "together") {
        times.push(hour(times.length));
        const other = times[step.pick % times.length];
        await Promise.all([run(times[times.length - 1], false), run(other, false)]);
      } else if (step.op === "fault" || step.op === "lose") {
        faultKind = step.kind;
        faultsLeft = step.burst;
        answersLost = step.op === "lose";
      }
    }
    // Leases of attempts a fault stopped run out; the catch-up run then finds every source free.
    if (faultKind) await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS * 2));
    faultKind = undefined;
    times.push(hour(times.length));
    const strict = (time: string) => handler(taskEvent("data_processing", { scheduled_time: time, schedule: "hourly" }), plentyOfTime);
    await strict(times[times.length - 1]);
    for (const time of times) await strict(time);
    const end = hour(times.length + 1);
    const period = { periodHours: times.length + 2 };
    for (let i = 0; i < 2; i++) {
      await handler(taskEvent("report", { scheduled_time: end, payload: period }), plentyOfTime);
      await handler(taskEvent("notification", { scheduled_time: end, schedule: "digest", payload: period }), plentyOfTime);
    }
    const csv = await getText(emulator, sandbox.bucket, `reports/${end.slice(0, 10)}/report-test.csv`);
    const expected = cleanAudit(sources);
    const notices = await sandbox.notices();
    const successes = new Map<string, number>();
    for (const notice of notices.filter((n) => n.attributes.status === "completed" && n.attributes.task === "data_processing")) {
      const time = /Scheduled time: (\S+)/.exec(notice.message)?.[1] ?? "?";
      successes.set(time, (successes.get(time) ?? 0) + 1);
    }
    const page = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: sandbox.bucket, Prefix: "incoming/" }));
    // A source whose every try in three invocations met a burst is set aside whole: its lines all count as quarantined.
    const setAside = new Set<string>();
    for (const key of await keysUnder(emulator, sandbox.bucket, "quarantine/"))
      if (key.includes(".set-aside")) setAside.add(await getText(emulator, sandbox.bucket, key));
    const wanted = sources.reduce(
      (sum, [, body]) => {
        for (const line of body.trim().split("\n"))
          setAside.has(body) || line.startsWith("bad") || line.endsWith('"u":0}') ? (sum[2] += 1) : (sum[1] += 1);
        sum[0] = sum[1] + sum[2];
        return sum;
      },
      [0, 0, 0],
    );
    return {
      audit: await auditBucket(emulator, sandbox.bucket, sources),
      expected,
      versionsLeft: campaign.versioned ? (page.Versions ?? []).length + (page.DeleteMarkers ?? []).length : 0,
      reportTotal: csv.split("\r\n").find((line) => line.startsWith("TOTAL")),
      wantedTotal: `TOTAL,${wanted.join(",")}`,
      successNoticesPerRun: [...successes.values()],
      phantomTakeovers,
      digests: notices.filter((n) => n.attributes.status === "digest").length,
    };
  } finally {
    process.env = savedEnv;
    await aws.proxy.stop();
  }
}

/**
 * The built bundle, loaded afresh for this bucket (it reads its environment at load, and the
 * SDK reads credentials from it later: the caller restores it when the sequence ends).
 */
function loadBundle(
  aws: ProxiedAws,
  sandbox: Sandbox,
): (event: unknown, context: unknown) => Promise<{ status: string; counts: Record<string, number> }> {
  Object.assign(process.env, aws.awsEnv, {
    BUCKET_NAME: sandbox.bucket,
    TOPIC_ARN: sandbox.topicArn,
    ENVIRONMENT: "test",
    RUN_LEASE_TTL_MS: String(LEASE_TTL_MS),
    // A failed source's one more try comes sooner than in Lambda, as the leases run out sooner.
    SOURCE_RETRY_PAUSE_MS: "20",
  });
  let handler!: (event: unknown, context: unknown) => Promise<{ status: string; counts: Record<string, number> }>;
  jest.isolateModules(() => {
    handler = require(bundleFunction("processor").scriptPath).handler;
  });
  return handler;
}

/** Every invariant, as one value to compare with `expect`. */
export function invariants(outcome: Outcome) {
  return {
    audit: outcome.audit,
    versionsLeft: outcome.versionsLeft,
    reportTotal: outcome.reportTotal,
    atMostOneSuccessNoticePerRun: outcome.successNoticesPerRun.every((n) => n <= 1),
    phantomTakeovers: outcome.phantomTakeovers,
    digests: outcome.digests,
  };
}

export function expectedInvariants(outcome: Outcome) {
  return {
    audit: outcome.expected,
    versionsLeft: 0,
    reportTotal: outcome.wantedTotal,
    atMostOneSuccessNoticePerRun: true,
    phantomTakeovers: [],
    digests: 1,
  };
}
