import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { resourceNames } from "../core/naming";
import { loadEnvironment } from "../environments/load";
import { ConfigError, formatProblem } from "../modules/config/validate";
import { ReplayError, replayArchivedEvent } from "./lib/replay";

const USAGE = "usage: npm run replay -- <env> <failed/yyyy-mm-dd/id.json>";

/** Replays an archived failed event against the environment's processor (needs AWS credentials). */
async function main(args: string[]): Promise<number> {
  const [envName, key] = args;
  if (!envName || !key || args.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  try {
    const config = loadEnvironment(envName);
    const names = resourceNames(config);
    const { statusCode, event } = await replayArchivedEvent({
      s3: new S3Client({ region: config.region }),
      lambda: new LambdaClient({ region: config.region }),
      bucket: names.bucket,
      functionName: names.processorFunction,
      key,
    });
    const scheduled = "kind" in event ? event.event : event;
    const what = "kind" in event ? `batch ${event.index + 1} of ${event.of} of ${scheduled.task_type}` : scheduled.task_type;
    console.log(
      `replayed ${what} of ${scheduled.schedule} (scheduled ${scheduled.scheduled_time}) to ${names.processorFunction}: status ` +
        `${statusCode}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) for (const problem of error.problems) console.error(formatProblem(problem));
    else if (error instanceof ReplayError) console.error(error.message);
    else console.error(`replay failed: ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
