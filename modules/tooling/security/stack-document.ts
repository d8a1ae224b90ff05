import type { PolicyDocument, PolicyStatement } from "../../constructs/support/policy-document";

/** A resource's body as synthesized: its fields are read without trusting their shape. */
export type ResourceBody = Readonly<Record<string, unknown>>;

/** The value at a path of fields (and list indexes) inside a body, or undefined where the shape differs. */
export function field(value: unknown, ...path: Array<string | number>): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** A synthesized stack (cdk.tf.json) with the lookups rules and reports need. */
export class StackDocument {
  readonly resources: Record<string, Record<string, ResourceBody>>;

  constructor(readonly raw: { resource?: Record<string, Record<string, ResourceBody>>; [key: string]: unknown }) {
    this.resources = raw.resource ?? {};
  }

  static parse(json: string): StackDocument {
    return new StackDocument(JSON.parse(json));
  }

  /**
   * Every resource of a type as [address, body], address being `type.name`; a resource with a
   * literal `for_each` map is one instance per key, `type.name["key"]`, with `each.key` and
   * `each.value.…` filled in, as Terraform will plan it.
   */
  ofType(type: string): Array<[string, ResourceBody]> {
    return Object.entries(this.resources[type] ?? {}).flatMap(([name, body]) => instancesOf(`${type}.${name}`, body));
  }

  /** Every resource (instance) in the stack as [address, type, body]. */
  all(): Array<[string, string, ResourceBody]> {
    return Object.keys(this.resources).flatMap((type) =>
      this.ofType(type).map(([address, body]): [string, string, ResourceBody] => [address, type, body]),
    );
  }

  /**
   * The resource a `${type.name.attribute}` reference points at, if it is in this stack; for one
   * instance of a `for_each` resource (`${type.name["key"].attribute}`), that instance.
   */
  resolve(reference: unknown): { address: string; type: string; attribute: string; body: ResourceBody } | undefined {
    if (typeof reference !== "string") return undefined;
    const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\["[^"]+"\])?\.([a-z0-9_]+)\}/.exec(reference);
    if (!match) return undefined;
    const [, type, name, instance, attribute] = match;
    const body = this.resources[type]?.[name];
    if (!body) return undefined;
    if (!instance) return { address: `${type}.${name}`, type, attribute, body };
    const found = instancesOf(`${type}.${name}`, body).find(([address]) => address === `${type}.${name}${instance}`);
    return found ? { address: found[0], type, attribute, body: found[1] } : undefined;
  }

  /** Addresses of the resources a body refers to, anywhere inside it. */
  referencesFrom(body: unknown): string[] {
    const found = new Set<string>();
    const visit = (value: unknown) => {
      if (typeof value === "string") {
        for (const match of value.matchAll(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z0-9_]+/g)) {
          if (this.resources[match[1]]?.[match[2]]) found.add(`${match[1]}.${match[2]}`);
        }
      } else if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === "object") for (const [key, inner] of Object.entries(value)) if (key !== "//") visit(inner);
    };
    visit(body);
    return [...found];
  }

  /** The construct path of a resource below its stack, e.g. `processor/role`. */
  constructPath(body: unknown): string {
    return String(field(body, "//", "metadata", "path") ?? "")
      .split("/")
      .slice(1)
      .join("/");
  }
}

/** A resource's instances: itself, or one per key of its literal `for_each` map. */
function instancesOf(address: string, body: ResourceBody): Array<[string, ResourceBody]> {
  const each = body.for_each;
  if (!each || typeof each !== "object" || Array.isArray(each)) return [[address, body]];
  return Object.entries(each as Record<string, unknown>).map(([key, value]) => [
    `${address}[${JSON.stringify(key)}]`,
    substitute(body, key, value) as ResourceBody,
  ]);
}

/**
 * The body with `${each.key}` and `${each.value.a.b}` replaced by this instance's values, and a
 * sibling instance's reference (`${aws_iam_role.task[each.key].arn}`) made this instance's.
 */
function substitute(value: unknown, key: string, each: unknown): unknown {
  const lookup = (path: string): unknown =>
    path.split(".").reduce<unknown>((v, part) => (v as Record<string, unknown> | undefined)?.[part], each);
  if (typeof value === "string" && value.includes("[each.key]"))
    return substitute(
      value.replace(/(\$\{[a-z0-9_]+\.[A-Za-z0-9_-]+)\[each\.key\]/g, (_, head: string) => `${head}[${JSON.stringify(key)}]`),
      key,
      each,
    );
  if (typeof value === "string") {
    const whole = /^\$\{each\.(key|value(?:\.[A-Za-z0-9_]+)*)\}$/.exec(value);
    if (whole) return whole[1] === "key" ? key : whole[1] === "value" ? each : lookup(whole[1].slice("value.".length));
    return value.replace(/\$\{each\.(key|value(?:\.[A-Za-z0-9_]+)*)\}/g, (_, ref: string) =>
      String(ref === "key" ? key : lookup(ref.slice("value.".length))),
    );
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, key, each));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "for_each")
        .map(([k, v]) => [k, substitute(v, key, each)]),
    );
  }
  return value;
}

/** Where policies live, by resource type and field. */
export const POLICY_FIELDS: Readonly<Record<string, { field: string; kind: "trust" | "identity" | "resource" }>> = {
  aws_iam_role: { field: "assume_role_policy", kind: "trust" },
  aws_iam_role_policy: { field: "policy", kind: "identity" },
  aws_iam_policy: { field: "policy", kind: "identity" },
  aws_s3_bucket_policy: { field: "policy", kind: "resource" },
  aws_sns_topic_policy: { field: "policy", kind: "resource" },
  aws_sqs_queue_policy: { field: "policy", kind: "resource" },
  aws_kms_key: { field: "policy", kind: "resource" },
};

export interface FoundPolicy {
  readonly address: string;
  readonly kind: "trust" | "identity" | "resource";
  /** Undefined when the policy is not literal JSON (e.g. built by a function at apply time). */
  readonly document?: PolicyDocument;
}

export function policiesOf(stack: StackDocument): FoundPolicy[] {
  return Object.entries(POLICY_FIELDS).flatMap(([type, { field, kind }]) =>
    stack.ofType(type).map(([address, body]): FoundPolicy => ({ address, kind, document: parsePolicy(body[field]) })),
  );
}

/**
 * A policy's JSON text, its references' own quotes (`${aws_lambda_function.task["ledger"].arn}`,
 * bare in the text Terraform reads) escaped so it parses as JSON.
 */
export function parsePolicyText(text: string): unknown {
  return JSON.parse(text.replace(/\$\{[^{}]*\}/g, (reference) => reference.replace(/(?<!\\)"/g, '\\"')));
}

function parsePolicy(text: unknown): PolicyDocument | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const document = parsePolicyText(text) as PolicyDocument;
    return Array.isArray(document?.Statement) ? document : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A value that Terraform JSON and IAM both allow as one item or a list (a statement's actions,
 * a block with max one item), always as a list.
 */
export function listOf<T = string>(value: T | readonly T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}

export type Statement = PolicyStatement & { NotAction?: string | string[]; NotResource?: string | string[]; NotPrincipal?: unknown };
