import { createHash } from "node:crypto";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { denyInsecureTransport, type PolicyDocument, policyDocument, renderPolicy } from "./iam/policy-document";

export interface NotificationTopicProps {
  readonly topicName: string;
  readonly email: readonly string[];
  readonly sms: readonly string[];
  readonly https: readonly string[];
  /** @default the AWS managed key for SNS (alias/aws/sns) */
  readonly kmsKeyId?: string;
}

/** The environment's notification topic, encrypted at rest, with one subscription per target. */
export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  private policy?: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", {
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyId ?? "alias/aws/sns",
    });
    const targets: Array<[protocol: string, endpoint: string]> = [
      ...props.email.map((e): [string, string] => ["email", e]),
      ...props.sms.map((e): [string, string] => ["sms", e]),
      ...props.https.map((e): [string, string] => ["https", e]),
    ];
    for (const [protocol, endpoint] of targets) {
      // Ids derive from the endpoint, not the list position, so reordering targets is a no-op.
      new SnsTopicSubscription(this, `${protocol}-${shortHash(endpoint)}`, {
        topicArn: this.topic.arn,
        protocol,
        endpoint,
      });
    }
  }

  get topicArn(): string {
    return this.topic.arn;
  }

  /**
   * Lets exactly these roles publish: publishing by any other principal, or without TLS, is denied.
   * Call once, with every publishing role of the stack.
   */
  allowPublishingOnlyFrom(roleArns: readonly string[]): void {
    this.setPolicy(
      policyDocument(
        {
          Sid: "AllowPublishFromStackRoles",
          Effect: "Allow",
          Principal: { AWS: roleArns },
          Action: ["sns:Publish"],
          Resource: [this.topic.arn],
        },
        {
          Sid: "DenyPublishFromOtherPrincipals",
          Effect: "Deny",
          Principal: "*",
          Action: ["sns:Publish"],
          Resource: [this.topic.arn],
          Condition: { ArnNotEquals: { "aws:PrincipalArn": roleArns } },
        },
        denyInsecureTransport("sns", [this.topic.arn]),
      ),
    );
  }

  /** Lets CloudWatch publish for this account's alarms named `<alarmArnPrefix>*`, over TLS only. */
  allowAlarmsToPublish(account: string, alarmArnPrefix: string): void {
    this.setPolicy(
      policyDocument(
        {
          Sid: "AllowStackAlarms",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["sns:Publish"],
          Resource: [this.topic.arn],
          Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `${alarmArnPrefix}*` } },
        },
        denyInsecureTransport("sns", [this.topic.arn]),
      ),
    );
  }

  private setPolicy(document: PolicyDocument): void {
    if (this.policy) throw new Error("the topic's publishing policy was already set");
    this.policy = new SnsTopicPolicy(this, "policy", { arn: this.topic.arn, policy: renderPolicy(document) });
  }
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}
