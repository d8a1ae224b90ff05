import { join } from "node:path";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
// By name, as in your own app (this repository maps the name to its source; CDK Terrain: "scheduled-task-processing/cdktn").
import { ScheduledTaskProcessing } from "scheduled-task-processing";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const ORDERS_QUEUE = "orders-qa-nightly-close";

/** Another team's stack in the same app: the queue its order service reads. */
class OrdersStack extends TerraformStack {
  readonly queue: SqsQueue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION, allowedAccountIds: [ACCOUNT] });
    new S3Backend(this, { bucket: "analytics-terraform-state", key: "orders/qa.tfstate", region: REGION, encrypt: true });
    this.queue = new SqsQueue(this, "orders", { name: ORDERS_QUEUE, sqsManagedSseEnabled: true });
  }

  /**
   * The queue's ARN, as known before either stack is applied (AWS forms it from the account, the
   * region and the name). Passing `this.queue.arn` works too: CDKTF then reads it from this
   * stack's state through a remote-state data source, which needs this stack applied first.
   */
  get queueArn(): string {
    return `arn:aws:sqs:${REGION}:${ACCOUNT}:${ORDERS_QUEUE}`;
  }
}

/**
 * A team's own CDKTF app: its stack, its provider and backend, and the construct with the same
 * config shape as this repository's environments/*.ts (validated the same way); one schedule
 * sends to another stack's queue instead of running a task.
 */
class AnalyticsStack extends TerraformStack {
  constructor(scope: Construct, id: string, ordersQueueArn: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: REGION, allowedAccountIds: [ACCOUNT] });
    new S3Backend(this, { bucket: "analytics-terraform-state", key: "scheduled-tasks/qa.tfstate", region: REGION, encrypt: true });

    const tasks = new ScheduledTaskProcessing(this, "tasks", {
      config: {
        name: "qa",
        account: ACCOUNT,
        region: REGION,
        projectName: "analytics",
        tags: { team: "analytics" },
        protection: { preventDestroy: false },
        notifications: { email: ["analytics@example.com"], sms: [], https: [] },
        processor: { memoryMb: 512, timeoutSeconds: 300, logRetentionDays: 30, asyncRetries: 1 },
        schedules: [
          {
            name: "hourly-ingest",
            expression: "rate(1 hour)",
            timezone: "UTC",
            task: "data_processing",
            payload: { requiredFields: ["id"] },
            enabled: true,
            flexibleWindowMinutes: 5,
            retry: { maxAttempts: 5, maxEventAgeSeconds: 3600 },
          },
          {
            name: "daily-report",
            expression: "cron(0 8 ? * MON-FRI *)",
            timezone: "Europe/Berlin",
            task: "report",
            enabled: true,
            flexibleWindowMinutes: 15,
            retry: { maxAttempts: 5, maxEventAgeSeconds: 3600 },
          },
          // The team's own task (tasks below), run every hour in its own function with a run record and exactly-once sources.
          {
            name: "ledger-hourly",
            expression: "rate(1 hour)",
            timezone: "UTC",
            task: "ledger",
            payload: { currency: "EUR" },
          },
          // Scheduler sends to the orders team's queue every night: delivery and retries as for a task, the
          // scheduler role allowed sqs:SendMessage on that queue alone, but no run record (see docs/extending.md).
          {
            name: "nightly-close",
            expression: "cron(30 23 * * ? *)",
            timezone: "Europe/Berlin",
            target: { sqs: ordersQueueArn },
            input: '{"command":"close-day","scheduledTime":"<aws.scheduler.scheduled-time>"}',
          },
        ],
        // The ledger task (examples/own-task/ledger.ts), bundled with esbuild at synth: its function may read and remove
        // what waits under ledger/in/ and write under ledger/out/, besides its own run records, and nothing else.
        tasks: {
          ledger: { entry: join(__dirname, "..", "own-task", "ledger.ts"), reads: ["ledger/in/"], writes: ["ledger/out/"], memoryMb: 256 },
        },
        // A partner's uploader in another account writes under incoming/partner-a/ (the bucket policy lets it in);
        // this account's analytics role reads processed/ and reports/ through the managed policy attached below.
        access: {
          producers: [{ name: "partner-a", principals: ["arn:aws:iam::210987654321:role/uploader"], prefix: "partner-a/" }],
          readers: [{ name: "analytics", principals: ["arn:aws:iam::123456789012:role/analytics"], prefixes: ["processed/", "reports/"] }],
        },
      },
    });
    new IamRolePolicyAttachment(this, "analytics-reads-tasks", {
      role: "analytics",
      policyArn: tasks.readerPolicyArns.analytics,
    });
    // Outputs of your choosing, from the construct's resources.
    new TerraformOutput(this, "tasks_bucket", { value: tasks.bucketName });
    new TerraformOutput(this, "tasks_processor", { value: tasks.processorFunctionArn });
    new TerraformOutput(this, "tasks_ledger_function", { value: tasks.taskFunctionArns.ledger });
  }
}

export function buildExampleApp(outdir?: string): App {
  const app = new App(outdir ? { outdir } : undefined);
  const orders = new OrdersStack(app, "orders-qa");
  new AnalyticsStack(app, "analytics-qa", orders.queueArn).addDependency(orders);
  return app;
}

if (require.main === module) buildExampleApp().synth();
