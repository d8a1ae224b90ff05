import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { decodeMetadata } from "../../../functions/commons/s3-metadata";
import { MAX_KEY_BYTES } from "../../../functions/processor/sources/source-identity";
import { bundleFunction } from "../../../modules/bundling/function-bundle";
import { invokeBundled } from "../../../scripts/lib/invoke-bundled";
import { auditBucket, cleanAudit, type SourcesIn } from "../../support/bucket-audit";
import {
  createSandbox,
  type Emulator,
  getText,
  keysUnder,
  type ProxiedAws,
  type Sandbox,
  startProxy,
  useProxiedEmulator,
} from "../../support/emulator";
import { ODD_KEYS } from "../../support/odd-keys";
import { taskEvent } from "../../support/processor-harness";

/**
 * Keys nobody on the team would type, beside ordinary ones, through the bundle the stacks deploy
 * (its own process) and the proxy that keeps keys byte for byte: every line out once, every
 * source archived and counted in the run record, its key intact in the rows and the metadata.
 */
let emulator: Emulator;
let aws: ProxiedAws;
const bundle = bundleFunction("processor").scriptPath;
useProxiedEmulator((started) => ({ emulator, aws } = started));

const envFor = (via: ProxiedAws, sandbox: Sandbox) => ({
  ...via.awsEnv,
  BUCKET_NAME: sandbox.bucket,
  TOPIC_ARN: sandbox.topicArn,
  ENVIRONMENT: "test",
});

async function upload(via: ProxiedAws, sandbox: Sandbox, sources: SourcesIn): Promise<void> {
  for (const [key, body] of sources) await via.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: body }));
}

const sourcesFor = (keys: readonly string[]): SourcesIn =>
  keys.map((key, i) => [key, `{"i":${i},"key":${JSON.stringify(key)}}\nnot json ${i}\n{"i":${i},\r"cr":true}\n`]);

describe("any valid S3 key is a source", () => {
  it("keeps every key byte for byte through the proxy: nothing normalizes ./ or ../", async () => {
    const sandbox = await createSandbox(emulator);
    const key = "incoming/./a/../b.jsonl";
    await aws.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: key, Body: "x" }));
    expect(aws.proxy.log.at(-1)).toMatchObject({ action: "PutObject", key });
    expect(await keysUnder(emulator, sandbox.bucket)).toEqual([key]);
  });

  it.each([false, true])("processes odd keys beside ordinary ones, every line once (versioned: %s)", async (versioned) => {
    const via = versioned ? await startProxy(emulator, { versioning: true }) : aws;
    try {
      const sandbox = await createSandbox(emulator);
      const sources = sourcesFor(["incoming/plain-a.jsonl", ...ODD_KEYS, "incoming/plain-z.jsonl"]);
      await upload(via, sandbox, sources);
      // An empty key ending in / is how consoles make folders: not a source, left alone.
      await via.s3.send(new PutObjectCommand({ Bucket: sandbox.bucket, Key: "incoming/empty-folder/", Body: new Uint8Array(0) }));

      const run = await invokeBundled(bundle, taskEvent("data_processing", { payload: { requiredFields: ["i"] } }), envFor(via, sandbox));
      expect(run).toMatchObject({
        ok: true,
        result: { status: "completed", counts: { sources: sources.length, lines: 3 * sources.length } },
      });
      expect(await auditBucket(emulator, sandbox.bucket, sources)).toEqual({
        ...cleanAudit(sources),
        leftInIncoming: ["incoming/empty-folder/"],
      });
      const record = JSON.parse(
        await getText(emulator, sandbox.bucket, "runs/data_processing/2026-11-23T10:00:00Z/data-processing-test.json"),
      );
      expect(record.sources.map((s: { source: string }) => s.source).sort()).toEqual(sources.map(([key]) => key).sort());
      expect((await sandbox.notices()).map((n) => n.attributes.status)).toEqual(["completed"]);

      // Every output key is a valid S3 key with no empty, . or .. segment, and its metadata names the source as it was.
      const outputs = (await keysUnder(emulator, sandbox.bucket)).filter((k) => /^(processed|quarantine|archive)\//.test(k));
      expect(outputs).toHaveLength(3 * sources.length);
      for (const key of outputs) {
        expect(Buffer.byteLength(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
        expect(key.split("/").filter((segment) => segment === "" || segment === "." || segment === "..")).toEqual([]);
      }
      const archived = new Set<string>();
      for (const key of outputs.filter((k) => k.startsWith("archive/"))) {
        const head = await emulator.s3.send(new HeadObjectCommand({ Bucket: sandbox.bucket, Key: key }));
        archived.add(decodeMetadata(head.Metadata)["source-key"]);
      }
      expect([...archived].sort()).toEqual(sources.map(([key]) => key).sort());
    } finally {
      if (versioned) await via.proxy.stop();
    }
  });

  it("writes a processed row on one line, the record's values and key order as they came", async () => {
    const sandbox = await createSandbox(emulator);
    const [key, body] = sourcesFor(["incoming/Bestellung-日本.jsonl"])[0];
    await upload(aws, sandbox, [[key, body]]);
    await invokeBundled(bundle, taskEvent("data_processing"), envFor(aws, sandbox));
    const [processedKey] = await keysUnder(emulator, sandbox.bucket, "processed/");
    const response = await emulator.s3.send(new GetObjectCommand({ Bucket: sandbox.bucket, Key: processedKey }));
    const rows = (await response.Body!.transformToString()).trimEnd().split("\n");
    expect(rows).toEqual([
      `{"source":"incoming/Bestellung-日本.jsonl","line":1,"record":{"i":0,"key":"incoming/Bestellung-日本.jsonl"}}`,
      `{"source":"incoming/Bestellung-日本.jsonl","line":3,"record":{"i":0, "cr":true}}`,
    ]);
    expect(decodeMetadata(response.Metadata)).toMatchObject({ "source-key": key });
  });
});
