import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { emulatorClients } from "../../../../scripts/lib/rehearsal/emulator-aws";
import { findMotoServer, startMotoServer } from "../../../../scripts/lib/rehearsal/moto-server";

const describeWithMoto = findMotoServer() ? describe : describe.skip;

describeWithMoto("moto_server for a rehearsal", () => {
  it("answers as the stack's account on a loopback port, and stops by its pid", async () => {
    const server = await startMotoServer("111122223333", join(mkdtempSync(join(tmpdir(), "moto-")), "moto.log"));
    try {
      expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { TopicArn } = await emulatorClients(server.endpoint, "eu-west-1").sns.send(new CreateTopicCommand({ Name: "t" }));
      expect(TopicArn).toBe("arn:aws:sns:eu-west-1:111122223333:t");
    } finally {
      await server.stop();
    }
    expect(() => process.kill(server.pid, 0)).toThrow();
  });
});
