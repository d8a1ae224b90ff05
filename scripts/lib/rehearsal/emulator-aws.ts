import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { IAMClient } from "@aws-sdk/client-iam";
import { KMSClient } from "@aws-sdk/client-kms";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

/** Written beside the copied configuration; Terraform merges *_override.tf.json over it. */
export const EMULATOR_OVERRIDE_FILE = "rehearsal_override.tf.json";

/** Every service the stacks, the module and the construct call, answered by the emulator. */
export const EMULATED_SERVICES = [
  "cloudwatch",
  "events",
  "iam",
  "kms",
  "lambda",
  "logs",
  "s3",
  "scheduler",
  "sns",
  "sqs",
  "sts",
  "xray",
] as const;

/** Keys the emulator accepts (it checks no signature); never a real account's. */
export const EMULATOR_CREDENTIALS = { accessKeyId: "rehearsal", secretAccessKey: "rehearsal" } as const;

/**
 * The provider pointed at the emulator: its endpoints, path-style S3 (the bucket is not a host
 * on loopback), dummy keys, no metadata service, and a local backend. The account check stays:
 * the emulator answers STS with the stack's own account, so `allowed_account_ids` is kept as
 * synthesized. Nothing else of the configuration changes.
 */
export function writeEmulatorOverride(directory: string, endpoint: string): void {
  const override = {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: {
      aws: {
        access_key: EMULATOR_CREDENTIALS.accessKeyId,
        secret_key: EMULATOR_CREDENTIALS.secretAccessKey,
        skip_metadata_api_check: true,
        s3_use_path_style: true,
        endpoints: [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, endpoint]))],
      },
    },
  };
  writeFileSync(join(directory, EMULATOR_OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
}

/** SDK clients of the emulator, for one account and region. */
export function emulatorClients(endpoint: string, region: string) {
  const options = { endpoint, region, credentials: EMULATOR_CREDENTIALS, maxAttempts: 2 };
  return {
    s3: new S3Client({ ...options, forcePathStyle: true }),
    sns: new SNSClient(options),
    sqs: new SQSClient(options),
    scheduler: new SchedulerClient(options),
    lambda: new LambdaClient(options),
    iam: new IAMClient(options),
    kms: new KMSClient(options),
    cloudwatch: new CloudWatchClient(options),
    logs: new CloudWatchLogsClient(options),
  };
}

export type EmulatorClients = ReturnType<typeof emulatorClients>;

/** What a function's process needs to reach the emulator instead of AWS. */
export function emulatorEnv(endpoint: string, region: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
  };
}
