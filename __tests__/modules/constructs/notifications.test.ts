import { TerraformStack, Testing } from "cdktf";
import { NotificationTopic } from "../../../modules/constructs/notifications";
import { subscriptionsOf } from "../../../modules/constructs/processing-spec";
import { ENVIRONMENTS, named, parsePolicy, referenced, referenceTo, resources, synthEnvironment } from "../../support/synth";

describe.each(ENVIRONMENTS.map((config) => [config.name, config] as const))("notifications in %s", (_name, config) => {
  const stack = synthEnvironment(config);
  const [topicId, topic] = named(stack, "aws_sns_topic", "notifications");
  const topicArn = `\${aws_sns_topic.${topicId}.arn}`;
  const subscriptionsOf = (arn: string) => resources(stack, "aws_sns_topic_subscription").filter(([, s]) => s.topic_arn === arn);

  it("encrypts the topic at rest", () => {
    expect(topic.name).toBe(`${config.projectName}-${config.name}-notifications`);
    expect(topic.kms_master_key_id).toBe("alias/aws/sns");
  });

  const targets = (t: typeof config.notifications) =>
    [...t.email.map((e) => `email ${e}`), ...t.sms.map((e) => `sms ${e}`), ...t.https.map((e) => `https ${e}`)].sort();

  it("subscribes exactly the configured targets", () => {
    expect(
      subscriptionsOf(topicArn)
        .map(([, s]) => `${s.protocol} ${s.endpoint}`)
        .sort(),
    ).toEqual(targets(config.notifications));
  });

  it("lets only the processor and failure handler roles publish, and only over TLS", () => {
    const [, policy] = named(stack, "aws_sns_topic_policy", "notifications");
    expect(policy.arn).toBe(topicArn);
    const statements = parsePolicy(policy.policy).Statement;
    const publishers = [
      referenceTo(stack, "aws_iam_role", "processor", "arn"),
      referenceTo(stack, "aws_iam_role", "failure_handler", "arn"),
    ];
    expect(statements).toEqual([
      { Sid: "AllowPublishFromStackRoles", Effect: "Allow", Principal: { AWS: publishers }, Action: ["sns:Publish"], Resource: [topicArn] },
      {
        Sid: "DenyPublishFromOtherPrincipals",
        Effect: "Deny",
        Principal: "*",
        Action: ["sns:Publish"],
        Resource: [topicArn],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": publishers } },
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
    expect(referenced(stack, publishers[0]).body.name).toBe(`${config.projectName}-${config.name}-processor`);
  });

  describe("operations topic", () => {
    const [operationsId, operations] = named(stack, "aws_sns_topic", "operations");
    const operationsArn = `\${aws_sns_topic.${operationsId}.arn}`;

    it("is encrypted with the stack's own rotating KMS key, which alarms may use", () => {
      const [keyId, key] = named(stack, "aws_kms_key", "operations");
      expect(operations).toMatchObject({
        name: `${config.projectName}-${config.name}-operations`,
        kms_master_key_id: `\${aws_kms_key.${keyId}.arn}`,
      });
      expect(key.enable_key_rotation).toBe(true);
      const statements = parsePolicy(key.policy).Statement;
      expect(statements.find((s) => s.Sid === "StackAlarmsEncryptNotices")).toEqual({
        Sid: "StackAlarmsEncryptNotices",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: ["*"],
        Condition: {
          StringEquals: { "aws:SourceAccount": config.account },
          ArnLike: {
            "aws:SourceArn": `arn:aws:cloudwatch:${config.region}:${config.account}:alarm:${config.projectName}-${config.name}-*`,
          },
        },
      });
      for (const statement of statements) for (const action of statement.Action) expect(action).not.toMatch(/\*/);
    });

    it("accepts only this stack's alarms, over TLS, and reaches the on-call targets", () => {
      const [, policy] = named(stack, "aws_sns_topic_policy", "operations");
      expect(parsePolicy(policy.policy).Statement).toEqual([
        {
          Sid: "AllowStackAlarms",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["sns:Publish"],
          Resource: [operationsArn],
          Condition: {
            StringEquals: { "aws:SourceAccount": config.account },
            ArnLike: {
              "aws:SourceArn": `arn:aws:cloudwatch:${config.region}:${config.account}:alarm:${config.projectName}-${config.name}-*`,
            },
          },
        },
        expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" }),
      ]);
      expect(
        subscriptionsOf(operationsArn)
          .map(([, s]) => `${s.protocol} ${s.endpoint}`)
          .sort(),
      ).toEqual(targets(config.operations));
    });
  });
});

describe("NotificationTopic", () => {
  const topicIn = (stack: TerraformStack, subscriptions: ReturnType<typeof subscriptionsOf>) =>
    new NotificationTopic(stack, "notifications", {
      address: "notifications",
      legacyId: "notifications",
      topicName: "t",
      topic: { create: true, existingArn: "" },
      subscriptions,
    });

  it("keys subscriptions by protocol and endpoint, so reordering targets changes nothing", () => {
    const keysOf = (email: string[]) => {
      const stack = new TerraformStack(Testing.app(), "test");
      topicIn(stack, subscriptionsOf({ email, sms: [], https: [] }));
      return Object.keys(JSON.parse(Testing.synth(stack)).resource.aws_sns_topic_subscription.notifications.for_each).sort();
    };
    expect(keysOf(["a@example.com", "b@example.com"])).toEqual(["email:a@example.com", "email:b@example.com"]);
    expect(keysOf(["b@example.com", "a@example.com"])).toEqual(keysOf(["a@example.com", "b@example.com"]));
  });

  it("refuses a second publisher policy instead of silently replacing the first", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const topic = topicIn(stack, {});
    topic.allowPublishingOnlyFrom(["arn:aws:iam::111111111111:role/a"]);
    expect(() => topic.allowPublishingOnlyFrom(["arn:aws:iam::111111111111:role/b"])).toThrow("already set");
    expect(() => topic.allowAlarmsToPublish("111111111111", "arn:aws:cloudwatch:us-east-1:111111111111:alarm:x-")).toThrow("already set");
  });

  it("leaves an adopted topic's policy to its owner, and subscribes the targets to it", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const arn = "arn:aws:sns:us-east-1:111111111111:existing";
    const topic = new NotificationTopic(stack, "notifications", {
      address: "notifications",
      legacyId: "notifications",
      topicName: "t",
      topic: { create: false, existingArn: arn },
      subscriptions: subscriptionsOf({ email: ["a@example.com"], sms: [], https: [] }),
    });
    topic.allowPublishingOnlyFrom(["arn:aws:iam::111111111111:role/a"]);
    const document = JSON.parse(Testing.synth(stack));
    expect(document.resource.aws_sns_topic).toBeUndefined();
    expect(document.resource.aws_sns_topic_policy).toBeUndefined();
    expect(document.resource.aws_sns_topic_subscription.notifications.topic_arn).toBe(arn);
  });
});
