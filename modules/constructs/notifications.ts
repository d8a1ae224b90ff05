import { createHash } from "node:crypto";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import type { Adoptable, SubscriptionSpec } from "./processing-spec";
import { pin, pinCollection } from "./support/addresses";
import { denyInsecureTransport, type PolicyDocument, policyDocument, renderPolicy } from "./support/policy-document";
import { attributeOf, type Collection, choose, countOf, iteratorOf, knownKeys, mayExist, type Presence } from "./support/terraform-values";

export interface NotificationTopicProps {
  /** The resources' address name: `aws_sns_topic.<address>`. */
  readonly address: string;
  /** Its construct id in release 0.1 (notifications, operations), for moved blocks. */
  readonly legacyId: string;
  readonly topicName: string;
  /** Create the topic here, or use an existing one. */
  readonly topic: Adoptable & { readonly existingArn: string };
  readonly subscriptions: Collection<SubscriptionSpec>;
  /** @default the AWS managed key for SNS (alias/aws/sns) */
  readonly kmsKeyId?: string;
}

/**
 * A topic encrypted at rest with one subscription per target, keyed by protocol and endpoint
 * so reordering targets changes nothing. An adopted topic is used as it is: subscriptions are
 * added to it, but its policy stays its owner's.
 */
export class NotificationTopic extends Construct {
  readonly topicArn: string;
  private readonly created: Presence;
  private policy?: SnsTopicPolicy;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: NotificationTopicProps,
  ) {
    super(scope, id);
    this.created = props.topic.create;
    const address = `aws_sns_topic.${props.address}`;
    if (mayExist(props.topic.create)) {
      const topic = pin(
        new SnsTopic(this, "topic", {
          name: props.topicName,
          kmsMasterKeyId: props.kmsKeyId ?? "alias/aws/sns",
          count: countOf(props.topic.create),
        }),
        props.address,
        `${props.legacyId}/topic`,
      );
      if (props.topic.importId) topic.importFrom(props.topic.importId);
    }
    this.topicArn = choose(props.topic.create, attributeOf(address, "arn", props.topic.create), props.topic.existingArn);

    const each = iteratorOf(props.subscriptions);
    pinCollection(
      new SnsTopicSubscription(this, "subscriptions", {
        forEach: each,
        topicArn: this.topicArn,
        protocol: each.getString("protocol"),
        endpoint: each.getString("endpoint"),
      }),
      props.address,
      knownKeys(props.subscriptions),
      (key) => `${props.legacyId}/${key.slice(0, key.indexOf(":"))}-${shortHash(key.slice(key.indexOf(":") + 1))}`,
    );
  }

  /**
   * Lets exactly these roles publish: publishing by any other principal, or without TLS, is denied.
   * Call once, with every publishing role of the stack (`more`: the own tasks' roles, known by ARN
   * for a stack, an HCL list for the module). An adopted topic keeps its own policy.
   */
  allowPublishingOnlyFrom(roleArns: readonly string[], more: readonly string[] | string = []): void {
    const listed = typeof more === "string" ? [...roleArns, MORE_ROLES] : [...roleArns, ...more];
    this.setPolicy(
      policyDocument(
        {
          Sid: "AllowPublishFromStackRoles",
          Effect: "Allow",
          Principal: { AWS: listed },
          Action: ["sns:Publish"],
          Resource: [this.topicArn],
        },
        {
          Sid: "DenyPublishFromOtherPrincipals",
          Effect: "Deny",
          Principal: "*",
          Action: ["sns:Publish"],
          Resource: [this.topicArn],
          Condition: { ArnNotEquals: { "aws:PrincipalArn": listed } },
        },
        denyInsecureTransport("sns", [this.topicArn]),
      ),
      // The module's own tasks' roles, appended where the list stands in for them (none: the policy it always had).
      typeof more === "string" ? `%{ for arn in ${more} },\${jsonencode(arn)}%{ endfor }` : undefined,
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
          Resource: [this.topicArn],
          Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `${alarmArnPrefix}*` } },
        },
        denyInsecureTransport("sns", [this.topicArn]),
      ),
    );
  }

  private setPolicy(document: PolicyDocument, moreRoles?: string): void {
    if (this.policy) throw new Error("the topic's publishing policy was already set");
    if (!mayExist(this.created)) return;
    const rendered = renderPolicy(document);
    const policy = moreRoles === undefined ? rendered : rendered.split(`,${JSON.stringify(MORE_ROLES)}`).join(moreRoles);
    this.policy = pin(
      new SnsTopicPolicy(this, "policy", { arn: this.topicArn, policy, count: countOf(this.created) }),
      this.props.address,
      `${this.props.legacyId}/policy`,
    );
  }
}

/** Stands in the rendered policy for the module's list of own task roles until it is replaced by a directive. */
const MORE_ROLES = "(own task roles)";

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}
