import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import type { Adoptable } from "./processing-spec";
import { pin } from "./support/addresses";
import { policyDocument, renderPolicy } from "./support/policy-document";
import { attributeOf, choose, countOf, mayExist } from "./support/terraform-values";

export interface AlarmTopicKeyProps {
  readonly aliasName: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** Only alarms whose names start with this may use the key. */
  readonly alarmNamePrefix: string;
  /** Create the key here, or use an existing one (whose policy must let this stack's alarms use it). */
  readonly key: Adoptable & { readonly existingArn: string };
  readonly preventDestroy: boolean;
}

/**
 * What the account may do with the key, named action by action. Key policies must say
 * Resource "*" (meaning this key); AWS allows nothing else there.
 */
const ACCOUNT_KEY_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/**
 * A customer managed key for the operations topic: CloudWatch alarms cannot publish to a topic
 * encrypted with the AWS managed SNS key, so this key lets exactly this stack's alarms use it.
 */
export class AlarmTopicKey extends Construct {
  readonly arn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicKeyProps) {
    super(scope, id);
    this.arn = choose(props.key.create, attributeOf("aws_kms_key.operations", "arn", props.key.create), props.key.existingArn);
    if (!mayExist(props.key.create)) return;
    const count = countOf(props.key.create);
    const key = new KmsKey(this, "key", {
      count,
      lifecycle: { preventDestroy: props.preventDestroy },
      description: `Encrypts the operations topic that ${props.alarmNamePrefix}* alarms publish to`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: renderPolicy(
        policyDocument(
          {
            Sid: "AccountAdministersAndUsesKey",
            Effect: "Allow",
            Principal: { AWS: `arn:${props.partition}:iam::${props.account}:root` },
            Action: ACCOUNT_KEY_ACTIONS,
            Resource: ["*"],
          },
          {
            Sid: "StackAlarmsEncryptNotices",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: ["*"],
            Condition: {
              StringEquals: { "aws:SourceAccount": props.account },
              ArnLike: {
                "aws:SourceArn": `arn:${props.partition}:cloudwatch:${props.region}:${props.account}:alarm:${props.alarmNamePrefix}*`,
              },
            },
          },
        ),
      ),
    });
    pin(key, "operations", "operations-key/key");
    if (props.key.importId) key.importFrom(props.key.importId);
    pin(
      new KmsAlias(this, "alias", {
        name: `alias/${props.aliasName}`,
        targetKeyId: attributeOf("aws_kms_key.operations", "key_id", props.key.create),
        count,
      }),
      "operations",
      "operations-key/alias",
    );
  }
}
