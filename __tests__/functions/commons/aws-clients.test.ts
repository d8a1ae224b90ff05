import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CompleteMultipartUploadCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import {
  CLIENT_LIMITS,
  type ClientOverrides,
  createS3Client,
  createSnsClient,
  createSqsClient,
} from "../../../functions/commons/aws-clients";

/** What the handler's clients are built with; the stall test runs a shorter idle limit through the same code. */
async function limitsOf(client: { config: { requestHandler: unknown; maxAttempts: unknown } }) {
  const handler = client.config.requestHandler as { configProvider: Promise<{ connectionTimeout?: number; socketTimeout?: number }> };
  const { connectionTimeout, socketTimeout } = await handler.configProvider;
  const maxAttempts = typeof client.config.maxAttempts === "function" ? await client.config.maxAttempts() : client.config.maxAttempts;
  return { connectionTimeout, socketTimeout, maxAttempts };
}

describe("AWS clients", () => {
  it.each([
    ["S3", createS3Client],
    ["SNS", createSnsClient],
    ["SQS", createSqsClient],
  ])("%s: a connection opens within 2 s, a socket idles at most 5 s, three attempts", async (_name, create) => {
    expect(await limitsOf(create({ region: "us-east-1" }))).toEqual({ connectionTimeout: 2_000, socketTimeout: 5_000, maxAttempts: 3 });
    expect(CLIENT_LIMITS).toEqual({
      connectionTimeoutMs: 2_000,
      socketIdleTimeoutMs: 5_000,
      completeUploadIdleTimeoutMs: 120_000,
      maxAttempts: 3,
    });
  });

  it("lets a test shorten the idle limit and nothing else", async () => {
    expect(await limitsOf(createS3Client({ region: "us-east-1", socketIdleTimeoutMs: 500 }))).toEqual({
      connectionTimeout: 2_000,
      socketTimeout: 500,
      maxAttempts: 3,
    });
  });

  describe("against an S3 endpoint that takes 300 ms to answer anything", () => {
    let server: Server;
    let endpoint: string;
    beforeAll(async () => {
      server = createServer((request, response) => {
        request.resume();
        setTimeout(() => {
          response.setHeader("content-type", "application/xml");
          response.end(
            request.method === "POST"
              ? "<CompleteMultipartUploadResult><Bucket>data</Bucket><Key>out.jsonl</Key>" +
                  '<ETag>"joined"</ETag></CompleteMultipartUploadResult>'
              : "",
          );
        }, 300);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => {
      server.closeAllConnections();
      server.close();
    });

    const client = (limits: ClientOverrides) =>
      createS3Client({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, ...limits });
    const complete = new CompleteMultipartUploadCommand({
      Bucket: "data",
      Key: "out.jsonl",
      UploadId: "upload-1",
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"part"' }] },
    });

    it("times out an ordinary call that idles past its limit", async () => {
      await expect(
        client({ socketIdleTimeoutMs: 100 }).send(new GetObjectCommand({ Bucket: "data", Key: "in.jsonl" })),
      ).rejects.toMatchObject({ name: "TimeoutError" });
    });

    it("waits longer for a multipart upload to be joined, within its own bound", async () => {
      const patient = await client({ socketIdleTimeoutMs: 100, completeUploadIdleTimeoutMs: 2_000 }).send(complete);
      expect(patient.ETag).toBe('"joined"');
      await expect(client({ socketIdleTimeoutMs: 2_000, completeUploadIdleTimeoutMs: 100 }).send(complete)).rejects.toMatchObject({
        name: "TimeoutError",
      });
    });
  });
});
