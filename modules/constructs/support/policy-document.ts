import type { Presence } from "./terraform-values";

/**
 * IAM policy documents as typed data: the stack renders them to JSON, and tests and the review
 * report parse the same JSON back, so what is reviewed is what is deployed.
 */
export type ConditionBlock = Record<string, Record<string, string | readonly string[]>>;

export type Principal = "*" | { readonly AWS: string | readonly string[] } | { readonly Service: string | readonly string[] };

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Principal;
  readonly Action: readonly string[];
  readonly Resource?: readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** A statement that belongs in a policy only when something exists (a KMS key, say). */
export interface OptionalStatement {
  readonly presence: Presence;
  readonly statement: PolicyStatement;
}

/**
 * The policy as JSON. Optional statements whose presence is known are in or out; those decided
 * only at plan time are added by Terraform template directives (`%{ if … }`), so the policy is
 * still one JSON string, and literal JSON whenever everything is known (stacks).
 */
export function renderPolicy(document: PolicyDocument, optional: readonly OptionalStatement[] = []): string {
  const known = optional.filter((o) => o.presence === true).map((o) => o.statement);
  const deferred = optional.filter((o): o is OptionalStatement & { presence: { when: string } } => typeof o.presence === "object");
  const json = instanceReferences(JSON.stringify({ ...document, Statement: [...document.Statement, ...known] }));
  if (deferred.length === 0) return json;
  const tail = deferred.map((o) => `%{ if ${o.presence.when} },${JSON.stringify(o.statement)}%{ endif }`).join("");
  return `${json.slice(0, -2)}${tail}]}`;
}

/**
 * A reference to one instance of a `for_each` resource (`${aws_lambda_function.task["ledger"].arn}`)
 * as Terraform reads it inside JSON text: the key's quotes bare, since the interpolation is HCL,
 * not JSON (JSON.stringify escapes them, and `\"` inside `${...}` is no HCL).
 */
function instanceReferences(json: string): string {
  return json.replace(/\$\{[a-z0-9_]+\.[a-z0-9_]+\[\\"[^"\\]+\\"\]\.[a-z_]+\}/g, (reference) => reference.replace(/\\"/g, '"'));
}

/**
 * The policy with statements added after its own: literal JSON when they are known, else (an
 * HCL list expression, the module's) a `%{ for }` directive that appends them when Terraform plans.
 */
export function renderPolicyWith(document: PolicyDocument, added: readonly PolicyStatement[] | string): string {
  if (typeof added !== "string") return renderPolicy({ ...document, Statement: [...document.Statement, ...added] });
  // A template directive, as renderPolicy's optional statements: the policy stays one JSON text.
  return `${renderPolicy(document).slice(0, -2)}%{ for statement in ${added} },\${jsonencode(statement)}%{ endfor }]}`;
}

/**
 * The policy with statements added after its own, then its optional ones: literal JSON (with
 * renderPolicy's directives for optional statements known only at plan) when the added ones are
 * known, else (an HCL list expression) a `%{ for }` directive that appends them where they go.
 */
export function renderPolicyWithOptional(
  document: PolicyDocument,
  added: readonly PolicyStatement[] | string,
  optional: readonly OptionalStatement[],
): string {
  if (typeof added !== "string") return renderPolicy({ ...document, Statement: [...document.Statement, ...added] }, optional);
  const own = renderPolicy(document);
  const tail = renderPolicy(policyDocument(), optional).slice('{"Version":"2012-10-17","Statement":['.length, -2);
  // The optional statements' JSON begins without a comma when they are known (a literal list); directives bring their own.
  const optionalText = tail.startsWith("{") ? `,${tail}` : tail;
  return `${own.slice(0, -2)}%{ for statement in ${added} },\${jsonencode(statement)}%{ endfor }${optionalText}]}`;
}

/**
 * Denies every request that does not use TLS. Deny statements name the whole service
 * (e.g. `s3:*`) because a deny must cover every action; allow statements never do.
 */
export function denyInsecureTransport(service: string, resources: readonly string[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: [`${service}:*`],
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** Trust policy for a service role, with the confused-deputy conditions AWS documents. */
export function serviceTrustPolicy(service: string, conditions: ConditionBlock): PolicyDocument {
  return policyDocument({
    Sid: "TrustedService",
    Effect: "Allow",
    Principal: { Service: service },
    Action: ["sts:AssumeRole"],
    Condition: conditions,
  });
}
