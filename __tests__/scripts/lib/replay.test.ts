import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { replayArchivedEvent } from "../../../scripts/lib/replay";
import { createSandbox, type Emulator, putText, startEmulator } from "../../support/emulator";

const lambdaMock = mockClient(LambdaClient);
const lambda = new LambdaClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
const event = {
  task_type: "data_processing",
  payload: {},
  schedule: "data-processing",
  environment: "prod",
  scheduled_time: "2026-11-23T10:00:00Z",
  execution_id: "e-1",
  attempt_number: "1",
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => lambdaMock.reset());

describe("replayArchivedEvent", () => {
  it("invokes the processor asynchronously with the archived event", async () => {
    const sandbox = await createSandbox(emulator);
    const key = "failed/2026-11-23/11111111-aaaa-4bbb-8ccc-000000000001.json";
    await putText(emulator, sandbox.bucket, key, JSON.stringify({ id: "x", origin: "processor", error: "NoSuchBucket", event }));
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 202 });

    const result = await replayArchivedEvent({
      s3: emulator.s3,
      lambda,
      bucket: sandbox.bucket,
      functionName: "scheduler-prod-processor",
      key,
    });

    expect(result).toEqual({ statusCode: 202, event });
    const [call] = lambdaMock.commandCalls(InvokeCommand);
    expect(call.args[0].input.FunctionName).toBe("scheduler-prod-processor");
    expect(call.args[0].input.InvocationType).toBe("Event");
    expect(JSON.parse(Buffer.from(call.args[0].input.Payload as Uint8Array).toString())).toEqual(event);
  });

  it("refuses keys outside failed/, missing archives and events that would not run", async () => {
    const sandbox = await createSandbox(emulator);
    const options = { s3: emulator.s3, lambda, bucket: sandbox.bucket, functionName: "f" };
    await expect(replayArchivedEvent({ ...options, key: "processed/2026-11-23/a.jsonl" })).rejects.toThrow("is not an archived failure");
    await expect(replayArchivedEvent({ ...options, key: "failed/2026-11-23/missing.json" })).rejects.toThrow(
      `no archived event at s3://${sandbox.bucket}/failed/2026-11-23/missing.json`,
    );
    await putText(emulator, sandbox.bucket, "failed/2026-11-23/garbled.json", JSON.stringify({ id: "y", event: "not an event" }));
    await expect(replayArchivedEvent({ ...options, key: "failed/2026-11-23/garbled.json" })).rejects.toThrow(
      "the archived event cannot be replayed: invalid event: <event>: must be a JSON object, got string",
    );
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
