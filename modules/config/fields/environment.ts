import { MAX_LENGTHS, PATTERNS } from "../../../core/config-rules";
import { SECURITY_RULE_IDS } from "../security-rule-ids";
import { accessField } from "./access";
import { awsRegion, reason, stateKey, tagCharacters, tagKey, tagValue } from "./checks";
import type { ObjectField } from "./field";
import { scheduleApiField, schedulesField } from "./schedules";
import { alarmsField, fanOutField, notificationTargets, processorField, storageField } from "./settings";
import { tasksField } from "./tasks";

const bucketName = { kind: "string", pattern: PATTERNS.s3BucketName } as const;

/**
 * Every field of an environment, in the order the references list them: the whole config of
 * one environment as this repository's files, the construct and the Terraform module take it.
 */
export const ENVIRONMENT: ObjectField = {
  kind: "object",
  typeName: "EnvironmentFile",
  description: "One environment: its schedules, who hears about them, and how its resources are set up.",
  fields: {
    name: {
      kind: "string",
      hcl: "environment",
      pattern: PATTERNS.environmentName,
      maxLength: MAX_LENGTHS.environmentName,
      description:
        "The environment's name (`dev`, `qa`, `prod-eu`): part of every resource name, so several environments can share an account.",
    },
    projectName: {
      kind: "string",
      pattern: PATTERNS.projectName,
      maxLength: MAX_LENGTHS.projectName,
      defaultText: "the stack's name, made valid (the construct; the module requires it)",
      requiredInEnvironmentFiles: true,
      requiredInModule: true,
      description: "Prefix of every resource name: `<project>-<environment>-<role>`.",
    },
    account: {
      kind: "string",
      hcl: "account_id",
      pattern: PATTERNS.account,
      defaultText: "the account of the AWS provider's credentials (`aws_caller_identity`)",
      requiredInEnvironmentFiles: true,
      description: "The AWS account the resources are in, for names and trust policies.",
    },
    region: {
      kind: "string",
      checks: [awsRegion],
      only: "config",
      defaultText: "the AWS provider's region (`aws_region`)",
      requiredInEnvironmentFiles: true,
      description: "The region of every resource.",
    },
    tags: {
      kind: "map",
      default: {},
      key: { kind: "string", checks: [tagKey, tagCharacters("keys")], description: "A tag key." },
      value: { kind: "string", checks: [tagValue, tagCharacters("values")], description: "A tag value." },
      description:
        "Tags for every resource that takes tags: AWS allows 50 a resource, counting those the product adds (here the stacks' " +
        "default tags, in the module the schedule group's Name; your provider's default_tags count too).",
    },
    schedules: schedulesField,
    tasks: tasksField,
    notifications: notificationTargets("Who receives task notices (successes and failures).", { default: {} }),
    operations: notificationTargets("Who receives alarms (on-call).", {
      typeName: "NotificationTargets",
      defaultText: "the notification targets",
    }),
    processor: processorField,
    storage: storageField,
    alarms: alarmsField,
    scheduleApi: scheduleApiField,
    fanOut: fanOutField,
    adopt: {
      kind: "object",
      typeName: "AdoptedResources",
      only: "config",
      optional: true,
      defaultText: "every resource created",
      description:
        "Existing resources to use instead of creating them: `manage: false` uses one as it is (its owner keeps its settings " +
        "and policy); `manage: true` imports it, and the stack then sets it up as if it had created it.",
      fields: {
        bucket: {
          kind: "object",
          typeName: "AdoptedBucket",
          optional: true,
          description: "An existing task bucket.",
          fields: {
            name: { ...bucketName, description: "The bucket's name." },
            manage: { kind: "boolean", description: "Import and set it up (true), or use it as it is (false)." },
          },
        },
        notificationTopic: {
          kind: "object",
          typeName: "AdoptedTopic",
          optional: true,
          description: "An existing notification topic.",
          fields: {
            arn: { kind: "string", pattern: PATTERNS.snsTopicArn, description: "The topic's ARN." },
            manage: { kind: "boolean", description: "Import and set it up (true), or use it as it is (false)." },
          },
        },
        operationsKey: {
          kind: "object",
          typeName: "AdoptedKey",
          optional: true,
          description: "An existing KMS key for the operations topic.",
          fields: {
            arn: { kind: "string", pattern: PATTERNS.kmsKeyArn, description: "The key's ARN." },
            manage: { kind: "boolean", description: "Import and set it up (true), or use it as it is (false)." },
          },
        },
      },
    },
    adoptExisting: {
      kind: "object",
      typeName: "ModuleAdoptedResources",
      hcl: "adopt",
      only: "module",
      default: {},
      description:
        "Existing resources to use as they are instead of creating them (their owners keep their settings and policies). " +
        "To bring one under the module instead, leave it out here and add an `import` block in your root.",
      fields: {
        existingBucketName: {
          ...bucketName,
          optional: true,
          defaultText: "create the bucket",
          description: "An existing task bucket.",
        },
        existingNotificationTopicArn: {
          kind: "string",
          pattern: PATTERNS.snsTopicArn,
          optional: true,
          defaultText: "create the topic",
          description: "An existing notification topic.",
        },
        existingOperationsKeyArn: {
          kind: "string",
          pattern: PATTERNS.kmsKeyArn,
          optional: true,
          defaultText: "create the key",
          description: "An existing KMS key for the operations topic.",
        },
      },
    },
    access: accessField,
    protection: {
      kind: "object",
      typeName: "ProtectionSettings",
      only: "config",
      default: {},
      description: "What protects the data from a destroy (the module cannot take it: Terraform allows only a literal there).",
      fields: {
        preventDestroy: {
          kind: "boolean",
          default: true,
          description: "`lifecycle.prevent_destroy` on the data bucket and the KMS keys.",
        },
      },
    },
    backend: {
      kind: "object",
      typeName: "BackendSettings",
      only: "config",
      optional: true,
      defaultText: "none: required by this repository's stacks; the construct uses its stack's backend",
      description: "Where this repository's stack for the environment keeps its state (encrypted, locked with `use_lockfile`).",
      fields: {
        bucket: { ...bucketName, description: "The state bucket." },
        key: { kind: "string", checks: [stateKey], description: "The state object's key." },
        region: { kind: "string", checks: [awsRegion], description: "The state bucket's region." },
      },
    },
    destroyWaivers: {
      kind: "list",
      itemName: "waiver",
      only: "config",
      optional: true,
      defaultText: "none",
      description: "Stateful resources a plan may delete or replace, each named by address with the reason (the plan guard).",
      item: {
        kind: "object",
        typeName: "DestroyWaiver",
        description: "One resource a plan may destroy.",
        fields: {
          address: { kind: "string", pattern: PATTERNS.resourceAddress, description: "The resource's address." },
          reason: { kind: "string", checks: [reason("why the destroy is intended")], description: "Why the destroy is intended." },
        },
      },
    },
    waivers: {
      kind: "list",
      itemName: "waiver",
      label: "rule",
      default: [],
      description: "Accepted exceptions to the security rules, each with its reason; read by `npm run review`, not by Terraform.",
      item: {
        kind: "object",
        typeName: "SecurityWaiver",
        description: "One accepted exception.",
        fields: {
          rule: {
            kind: "string",
            values: SECURITY_RULE_IDS,
            valuesAre: "a security rule id",
            description: "The rule's id, such as `S3-08`.",
          },
          resource: {
            kind: "string",
            nonEmpty: "must not be empty",
            optional: true,
            defaultText: "every resource the rule flags",
            description: "The one resource (address prefix) the exception covers.",
          },
          reason: { kind: "string", checks: [reason("the exception")], description: "Why the exception is accepted." },
        },
      },
    },
  },
};
