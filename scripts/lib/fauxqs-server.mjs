// Runs the S3/SNS/SQS emulator in its own process (fauxqs is ES-module only) and prints its
// address as one JSON line; stops on SIGTERM or when its parent goes away.
import { startFauxqs } from "fauxqs";

const server = await startFauxqs({ port: 0, host: "127.0.0.1", logger: false });
process.stdout.write(`${JSON.stringify({ address: server.address })}\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
