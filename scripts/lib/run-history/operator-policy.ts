import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { partitionOf, resourceNames } from "../../../core/naming";
import { runFunctionNames } from "./run-function";

export interface OperatorEnvironment {
  readonly name: string;
  readonly projectName: string;
  readonly account: string;
  readonly region: string;
  readonly storage?: { readonly kmsKeyArn?: string };
  /** Its own tasks: their functions are where their runs start. */
  readonly tasks?: Readonly<Record<string, unknown>>;
}

/**
 * The least privilege an operator needs for `runs`, `backfill` and `trigger` in one
 * environment: list and read run records and archived failures (nothing else of the bucket),
 * read when Scheduler created the group's schedules (rate() schedules run from then), and
 * invoke the processor. `runs` alone needs the first three; `backfill --dry-run` too.
 */
export function operatorPolicy(config: OperatorEnvironment) {
  const names = resourceNames(config);
  const partition = partitionOf(config.region);
  const bucket = `arn:${partition}:s3:::${names.bucket}`;
  const areas = [BUCKET_LAYOUT.runs.prefix, BUCKET_LAYOUT.failed.prefix];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ListRunHistory",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [bucket],
        Condition: { StringLike: { "s3:prefix": areas.map((prefix) => `${prefix}*`) } },
      },
      { Sid: "ReadRunHistory", Effect: "Allow", Action: ["s3:GetObject"], Resource: areas.map((prefix) => `${bucket}/${prefix}*`) },
      ...(config.storage?.kmsKeyArn
        ? [{ Sid: "DecryptRunHistory", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [config.storage.kmsKeyArn] }]
        : []),
      {
        Sid: "ReadScheduleCreation",
        Effect: "Allow",
        Action: ["scheduler:GetSchedule"],
        Resource: [`arn:${partition}:scheduler:${config.region}:${config.account}:schedule/${names.scheduleGroup}/*`],
      },
      {
        Sid: "StartRuns",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        // The processor, and each own task's function (an own task's schedules run there).
        Resource: runFunctionNames(config).map((name) => `arn:${partition}:lambda:${config.region}:${config.account}:function:${name}`),
      },
    ],
  };
}
