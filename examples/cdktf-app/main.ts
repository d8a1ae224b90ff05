import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
// By name, as in your own app (this repository maps the name to its source; CDK Terrain: "scheduled-task-processing/cdktn").
import { ScheduledTaskProcessing } from "scheduled-task-processing";

/**
 * A team's own CDKTF app: its stack, its provider and backend, and the construct with the same
 * config shape as this repository's environments/*.ts (validated the same way).
 */
class AnalyticsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: "eu-west-1", allowedAccountIds: ["123456789012"] });
    new S3Backend(this, { bucket: "analytics-terraform-state", key: "scheduled-tasks/qa.tfstate", region: "eu-west-1", encrypt: true });

    const tasks = new ScheduledTaskProcessing(this, "tasks", {
      config: {
        name: "qa",
        account: "123456789012",
        region: "eu-west-1",
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
        ],
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
  }
}

export function buildExampleApp(outdir?: string): App {
  const app = new App(outdir ? { outdir } : undefined);
  new AnalyticsStack(app, "analytics-qa");
  return app;
}

if (require.main === module) buildExampleApp().synth();
