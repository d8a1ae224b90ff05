// The floor for the processor: the least a data_processing of one source must do, over the
// same emulator and SDK: stream the object, split lines, JSON.parse and JSON.stringify each,
// upload the result in 5 MiB parts, copy the source to an archive key and delete it. Plain
// JavaScript in a process of its own, as the bundled handler is measured. Prints its time.
const { S3Client, GetObjectCommand, CopyObjectCommand, DeleteObjectCommand } = require("@aws-sdk/client-s3");
const { Upload } = require("@aws-sdk/lib-storage");
const { PassThrough } = require("node:stream");

async function main() {
  const [bucket, key] = process.argv.slice(2);
  const s3 = new S3Client({});
  const started = performance.now();
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = new PassThrough();
  const upload = new Upload({
    client: s3,
    params: { Bucket: bucket, Key: `floor/${key}`, Body: body },
    partSize: 5 * 1024 * 1024,
    queueSize: 1,
  }).done();
  let pending = "";
  let lines = 0;
  let out = [];
  const flush = async () => {
    if (out.length === 0) return;
    const chunk = Buffer.from(`${out.join("\n")}\n`);
    out = [];
    if (!body.write(chunk)) await new Promise((resolve) => body.once("drain", resolve));
  };
  for await (const chunk of response.Body) {
    const text = pending + chunk.toString("utf8");
    const parts = text.split("\n");
    pending = parts.pop();
    for (const line of parts) {
      lines++;
      try {
        out.push(JSON.stringify(JSON.parse(line)));
      } catch {
        out.push(JSON.stringify({ line }));
      }
    }
    await flush();
  }
  if (pending) {
    lines++;
    out.push(pending);
  }
  await flush();
  body.end();
  await upload;
  await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `floor-archive/${key}`, CopySource: `${bucket}/${key}` }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  process.stdout.write(`${JSON.stringify({ durationMs: performance.now() - started, lines })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
