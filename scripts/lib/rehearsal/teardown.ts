import { DescribeAlarmsCommand, ListDashboardsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListPoliciesCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import { DescribeKeyCommand, ListAliasesCommand, ListKeysCommand } from "@aws-sdk/client-kms";
import { ListEventSourceMappingsCommand, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { DeleteObjectsCommand, ListBucketsCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { ListScheduleGroupsCommand, ListSchedulesCommand } from "@aws-sdk/client-scheduler";
import { ListSubscriptionsCommand, ListTopicsCommand } from "@aws-sdk/client-sns";
import { ListQueuesCommand } from "@aws-sdk/client-sqs";
import type { EmulatorClients } from "./emulator-aws";

/**
 * The operator's step before `destroy`: Terraform never empties a bucket (`force_destroy` is
 * never set, so data is not lost by a destroy), so every version and delete marker is deleted
 * first, as `aws s3api delete-objects` over `list-object-versions` would. Returns how many.
 */
export async function emptyBucket(clients: EmulatorClients, bucket: string): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
    if (objects.length === 0) return deleted;
    const result = await clients.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if (result.Errors?.length)
      throw new Error(`${bucket}: could not delete ${result.Errors.map((e) => `${e.Key} (${e.Code})`).join(", ")}`);
    deleted += objects.length;
  }
}

/**
 * What is left in the account after destroy, service by service, through the API. A KMS key
 * cannot be deleted at once (AWS waits 7 to 30 days): one pending deletion is gone as far as
 * anyone can make it. Scheduler's `default` group always exists, and `alias/aws/*` are AWS's.
 */
export async function leftovers(clients: EmulatorClients): Promise<string[]> {
  const left: string[] = [];
  const add = (kind: string, names: Array<string | undefined>) => {
    for (const name of names) left.push(`${kind} ${name}`);
  };
  add(
    "bucket",
    ((await clients.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
  );
  add("queue", (await clients.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []);
  add(
    "topic",
    ((await clients.sns.send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn),
  );
  add(
    "subscription",
    ((await clients.sns.send(new ListSubscriptionsCommand({}))).Subscriptions ?? []).map((s) => s.SubscriptionArn),
  );
  add(
    "function",
    ((await clients.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName),
  );
  add(
    "event source mapping",
    ((await clients.lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? []).map((m) => m.UUID),
  );
  const groups = ((await clients.scheduler.send(new ListScheduleGroupsCommand({}))).ScheduleGroups ?? []).map((g) => g.Name);
  add(
    "schedule group",
    groups.filter((g) => g !== "default"),
  );
  add(
    "schedule",
    ((await clients.scheduler.send(new ListSchedulesCommand({}))).Schedules ?? []).map((s) => `${s.GroupName}/${s.Name}`),
  );
  add(
    "role",
    ((await clients.iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName),
  );
  add(
    "policy",
    ((await clients.iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies ?? []).map((p) => p.PolicyName),
  );
  for (const key of (await clients.kms.send(new ListKeysCommand({}))).Keys ?? []) {
    const { KeyMetadata } = await clients.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    if (KeyMetadata?.KeyManager === "CUSTOMER" && KeyMetadata.KeyState !== "PendingDeletion")
      left.push(`KMS key ${key.KeyId} (${KeyMetadata.KeyState})`);
  }
  const aliases = (await clients.kms.send(new ListAliasesCommand({}))).Aliases ?? [];
  add(
    "KMS alias",
    aliases.map((a) => a.AliasName).filter((name) => !name?.startsWith("alias/aws/")),
  );
  add(
    "alarm",
    ((await clients.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => a.AlarmName),
  );
  add(
    "dashboard",
    ((await clients.cloudwatch.send(new ListDashboardsCommand({}))).DashboardEntries ?? []).map((d) => d.DashboardName),
  );
  add(
    "log group",
    ((await clients.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName),
  );
  return left;
}
