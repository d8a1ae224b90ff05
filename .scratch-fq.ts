import { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, CopyObjectCommand, HeadObjectCommand, CreateBucketCommand } from "@aws-sdk/client-s3";
import { startEmulatorProcess } from "./scripts/lib/emulator-process";
import { startS3Proxy } from "./scripts/lib/s3-proxy";
(async () => {
  const emu = await startEmulatorProcess();
  const proxy = await startS3Proxy({ upstream: emu.endpoint });
  for (const endpoint of [emu.endpoint, proxy.endpoint]) {
    const s3 = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const bucket = "b" + Math.random().toString(36).slice(2, 8);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = ["incoming/./a/../b c+%.jsonl", "incoming/Bestellung-日本.jsonl", "incoming/dir/", "incoming//x", "incoming/a+b.jsonl", "incoming/a b.jsonl", "incoming/100%.jsonl", "incoming/" + "é".repeat(500) + ".jsonl"];
    for (const key of keys) {
      try {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x:" + key, Metadata: { "source-key": "=?UTF-8?B?" + Buffer.from(key).toString("base64") + "?=" } }));
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = await got.Body!.transformToString();
        console.log(endpoint === emu.endpoint ? "emu" : "proxy", JSON.stringify(key).slice(0, 40), body === "x:" + key, JSON.stringify(got.Metadata).slice(0, 60));
        const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "archive/" + key, CopySource: `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`, IfNoneMatch: "*" })).then(() => "copied", (e) => "copy err " + e.name + e.message);
        console.log("   ", copy);
      } catch (e) { console.log("ERR", JSON.stringify(key).slice(0, 40), (e as Error).name, (e as Error).message); }
    }
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    console.log(list.Contents?.map((c) => c.Key!.slice(0, 40)));
  }
  await proxy.stop(); await emu.stop();
})();
