import { PATTERNS, READER_PREFIXES } from "../../../core/config-rules";
import type { ListField, ObjectField } from "./field";

function principals(who: string): ListField {
  return {
    kind: "list",
    itemName: "principal",
    item: { kind: "string", pattern: PATTERNS.principalArn, description: "An IAM role, user or account-root ARN." },
    minItems: { count: 1, message: "must name at least one principal" },
    description: `IAM roles, users or accounts (ARNs, never \`*\`) that ${who}.`,
  };
}

const accessName = {
  kind: "string",
  pattern: PATTERNS.accessName,
  description: "Names the grant (its managed policy and statement ids); unique among producers and readers.",
} as const;

export const accessField: ObjectField = {
  kind: "object",
  typeName: "AccessSettings",
  default: {},
  description:
    "Who else writes data in and reads results. Principals in other accounts are let in by the bucket policy; " +
    "those in this account get a managed policy each to attach.",
  fields: {
    organizationId: {
      kind: "string",
      pattern: PATTERNS.organizationId,
      optional: true,
      defaultText: "none",
      description: "`aws:PrincipalOrgID` required on every cross-account statement.",
    },
    producers: {
      kind: "list",
      itemName: "producer",
      label: "name",
      default: [],
      description: "Who may put objects under `incoming/<prefix>`, and nothing else.",
      item: {
        kind: "object",
        typeName: "ProducerAccess",
        description: "One producer.",
        fields: {
          name: accessName,
          principals: principals("upload"),
          prefix: {
            kind: "string",
            pattern: PATTERNS.producerPrefix,
            description: "The folder under `incoming/` it writes to; two producers never share or nest.",
          },
          requireKms: {
            kind: "boolean",
            default: false,
            description: "Refuse its uploads unless they are encrypted with the bucket's KMS key (needs the storage's KMS key ARN).",
          },
        },
      },
    },
    readers: {
      kind: "list",
      itemName: "reader",
      label: "name",
      default: [],
      description: "Who may get and list objects under its prefixes, and nothing else.",
      item: {
        kind: "object",
        typeName: "ReaderAccess",
        description: "One reader.",
        fields: {
          name: accessName,
          principals: principals("read"),
          prefixes: {
            kind: "list",
            itemName: "prefix",
            distinct: true,
            minItems: { count: 1, message: "must name at least one prefix" },
            item: { kind: "string", values: READER_PREFIXES, description: "An output prefix." },
            description: `The outputs it reads: among ${READER_PREFIXES.map((p) => `\`${p}\``).join(", ")}, each once.`,
          },
        },
      },
    },
  },
};
