import { CLIENT_LIMITS, createS3Client, createSnsClient, createSqsClient } from "../../../functions/commons/aws-clients";

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
    expect(CLIENT_LIMITS).toEqual({ connectionTimeoutMs: 2_000, socketIdleTimeoutMs: 5_000, maxAttempts: 3 });
  });

  it("lets a test shorten the idle limit and nothing else", async () => {
    expect(await limitsOf(createS3Client({ region: "us-east-1", socketIdleTimeoutMs: 500 }))).toEqual({ connectionTimeout: 2_000, socketTimeout: 500, maxAttempts: 3 });
  });
});
