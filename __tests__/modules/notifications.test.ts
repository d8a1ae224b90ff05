import { Testing } from "cdktf";
import { TerraformStack } from "cdktf";
import { NotificationTopic } from "../../modules/notifications";
import { ENVIRONMENTS, parsePolicy, referenced, resources, single, synthEnvironment } from "../support/synth";

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("notifications in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const [topicId, topic] = resources(stack, "aws_sns_topic")[0];
  const topicArn = `\${aws_sns_topic.${topicId}.arn}`;

  it("encrypts the topic at rest", () => {
    expect(topic.name).toBe(`${config.projectName}-${config.name}-notifications`);
    expect(topic.kms_master_key_id).toBe("alias/aws/sns");
  });

  it("subscribes exactly the configured targets", () => {
    const subscribed = resources(stack, "aws_sns_topic_subscription").map(([, s]) => `${s.protocol} ${s.endpoint}`).sort();
    const expected = [
      ...config.notifications.email.map((e) => `email ${e}`),
      ...config.notifications.sms.map((e) => `sms ${e}`),
      ...config.notifications.https.map((e) => `https ${e}`),
    ].sort();
    expect(subscribed).toEqual(expected);
    for (const [, subscription] of resources(stack, "aws_sns_topic_subscription")) expect(subscription.topic_arn).toBe(topicArn);
  });

  it("lets only the processor role publish, and only over TLS", () => {
    const policy = single(stack, "aws_sns_topic_policy");
    expect(policy.arn).toBe(topicArn);
    const statements = parsePolicy(policy.policy).Statement;
    const processorRole = `\${aws_iam_role.${resources(stack, "aws_iam_role").find(([id]) => id.startsWith("processor"))![0]}.arn}`;
    expect(statements).toEqual([
      { Sid: "AllowPublishFromStackRoles", Effect: "Allow", Principal: { AWS: [processorRole] }, Action: ["sns:Publish"], Resource: [topicArn] },
      {
        Sid: "DenyPublishFromOtherPrincipals",
        Effect: "Deny",
        Principal: "*",
        Action: ["sns:Publish"],
        Resource: [topicArn],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [processorRole] } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["sns:*"],
        Resource: [topicArn],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(referenced(stack, processorRole).body.name).toBe(`${config.projectName}-${config.name}-processor`);
  });
});

describe("NotificationTopic", () => {
  function subscriptionIds(email: string[]): string[] {
    const stack = new TerraformStack(Testing.app(), "test");
    new NotificationTopic(stack, "notifications", { topicName: "t", email, sms: [], https: [] });
    return Object.keys(JSON.parse(Testing.synth(stack)).resource.aws_sns_topic_subscription).sort();
  }

  it("keeps subscription ids stable when targets are reordered, so plans do not churn", () => {
    expect(subscriptionIds(["a@example.com", "b@example.com"])).toEqual(subscriptionIds(["b@example.com", "a@example.com"]));
  });

  it("refuses a second publisher policy instead of silently replacing the first", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const topic = new NotificationTopic(stack, "notifications", { topicName: "t", email: [], sms: [], https: [] });
    topic.allowPublishingOnlyFrom(["arn:aws:iam::111111111111:role/a"]);
    expect(() => topic.allowPublishingOnlyFrom(["arn:aws:iam::111111111111:role/b"])).toThrow("already called");
  });
});
