import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { StreamingObjectWriter } from "../../../functions/commons/s3-objects";
import { createSandbox, type Emulator, startEmulator } from "../../support/emulator";

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

async function bytesOf(bucket: string, key: string): Promise<Buffer> {
  const response = await emulator.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await response.Body!.transformToByteArray());
}

describe("StreamingObjectWriter", () => {
  // Text is encoded into fixed buffers: a character that does not fit must move whole to the
  // next one, across buffer and part boundaries, or the object would not be the text written.
  it("writes exactly the UTF-8 of the text, across buffer and part boundaries, whatever the write sizes", async () => {
    const sandbox = await createSandbox(emulator);
    const pieces = ["a", "é", "日本", "😀", "\n", "x".repeat(1000), "ü".repeat(70_000), "y".repeat(300_000)];
    const written: string[] = [];
    const writer = new StreamingObjectWriter(emulator.s3, sandbox.bucket, "out.txt", "text/plain");
    let total = 0;
    for (let i = 0; total < 12 * 1024 * 1024; i++) {
      const text = pieces[(i * 7) % pieces.length].repeat(1 + (i % 3));
      written.push(text);
      total += Buffer.byteLength(text);
      await writer.write(text);
    }
    await writer.close();
    expect((await bytesOf(sandbox.bucket, "out.txt")).equals(Buffer.from(written.join("")))).toBe(true);
  });

  it("writes a small object whole, and nothing at all when aborted", async () => {
    const sandbox = await createSandbox(emulator);
    const small = new StreamingObjectWriter(emulator.s3, sandbox.bucket, "small.txt", "text/plain");
    await small.write("Zoë\n");
    await small.close();
    expect((await bytesOf(sandbox.bucket, "small.txt")).toString("utf8")).toBe("Zoë\n");

    const aborted = new StreamingObjectWriter(emulator.s3, sandbox.bucket, "aborted.txt", "text/plain");
    await aborted.write("x".repeat(6 * 1024 * 1024));
    aborted.abort();
    await expect(aborted.close()).rejects.toThrow();
    await expect(bytesOf(sandbox.bucket, "aborted.txt")).rejects.toThrow();
  });

  // Lambda freezes the process once the handler returns: an abort still in flight then would
  // leave the parts for the lifecycle rule (and the bill) instead.
  it("has told S3 to abort a multipart upload by the time abort() resolves", async () => {
    const sandbox = await createSandbox(emulator);
    const sent: string[] = [];
    const s3 = new S3Client({ endpoint: emulator.endpoint, region: "us-east-1", credentials: await emulator.s3.config.credentials() });
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const answer = await next(args);
        sent.push(String(context.commandName));
        return answer;
      },
      { step: "initialize" },
    );
    const writer = new StreamingObjectWriter(s3, sandbox.bucket, "parts.txt", "text/plain");
    await writer.write("x".repeat(12 * 1024 * 1024));
    await writer.abort();
    expect(sent).toContain("CreateMultipartUploadCommand");
    expect(sent.at(-1)).toBe("AbortMultipartUploadCommand");
    s3.destroy();
  });
});
