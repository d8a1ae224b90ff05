import { DEFAULTS } from "../../../core/config-defaults";
import type { AuditedEnvironment } from "./scenarios";

/** One instance of the Terraform module: the inputs that decide its names and what it creates. */
export interface ModuleInstance {
  readonly projectName: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly tracing: boolean;
}

interface ModuleDocument {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
}

/**
 * The module's resources as one instance of it has them once Terraform has evaluated its
 * expressions: nothing adopted (so every `count` is 1 and every `one(x[*].arn)` is x's ARN), no
 * bucket key, tracing as chosen, and the locals that make its names. The module is generated
 * from a handful of expression shapes; any other left in a policy or a name stops the audit.
 */
export function moduleInstanceDocument(module: ModuleDocument, instance: ModuleInstance) {
  const prefix = `${instance.projectName}-${instance.environment}`;
  const locals: Record<string, string> = {
    name_prefix: prefix,
    bucket_name: `${prefix}-data-${instance.account}`,
    partition: instance.partition,
    account_id: instance.account,
    region: instance.region,
  };
  const evaluate = (text: string): string =>
    withoutAccess(text)
      .replace(/%\{ if var\.processor\.tracing \}([\s\S]*?)%\{ endif \}/g, (_, kept) => (instance.tracing ? kept : ""))
      .replace(/%\{ if var\.storage\.kms_key_arn != null \}[\s\S]*?%\{ endif \}/g, "")
      // No own task: no task role among the topic's publishers.
      .replace(/%\{ for arn in \[for r in aws_iam_role\.task : r\.arn\] \},\$\{jsonencode\(arn\)\}%\{ endfor \}/g, "")
      .replace(/\$\{var\.adopt\.[a-z_]+ == null \? ([^:]+) : [^}]+\}/g, (_, created) => `\${${created.trim()}}`)
      .replace(/\$\{one\(([a-z0-9_]+\.[a-z0-9_]+)\[\*\]\.([a-z_]+)\)\}/g, "${$1.$2}")
      .replace(/\$\{1\}/g, "1")
      .replace(/\$\{local\.([a-z_]+)\}/g, (whole, name) => locals[name] ?? whole)
      // Its schedules run tasks: the module's schedule_specs give them the processor's ARN.
      .replace(/^\$\{each\.value\.targetArn\}$/, "${aws_lambda_function.processor.arn}");
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return evaluate(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const resource = walk(module.resource) as ModuleDocument["resource"];
  // The audited instance declares no own task (tasks = {}): the resources Terraform makes one a task are none.
  for (const byAddress of Object.values(resource))
    for (const [address, body] of Object.entries(byAddress))
      if (typeof body.for_each === "string" && /^\$\{local\.task_specs\}$/.test(body.for_each)) delete byAddress[address];
  for (const [type, byAddress] of Object.entries(resource))
    for (const [address, body] of Object.entries(byAddress)) {
      for (const key of ["policy", "name", "bucket", "function_name", "role", "queue_url", "arn"]) {
        const left =
          typeof body[key] === "string" ? /(\$\{(var|local)\.[^}]*\}|%\{[^}]*\}|\b(var|local)\.[a-z_.]+)/.exec(body[key] as string) : null;
        if (left) throw new Error(`the IAM audit cannot evaluate ${left[1]} in the module's ${type}.${address}.${key}`);
      }
    }
  return { provider: { aws: [{ region: instance.region, allowed_account_ids: [instance.account] }] }, resource };
}

/**
 * The bucket policy of an instance without `access`, and the scheduler role's policy of one whose
 * schedules all run tasks: their own statements (the module appends the producers', the readers'
 * and the targets' in HCL; an instance with them is not one this audit evaluates).
 */
function withoutAccess(text: string): string {
  return text.replace(
    /%\{ for statement in local\.(access_bucket_statements|schedule_target_statements) \},\$\{jsonencode\(statement\)\}%\{ endfor \}/g,
    "",
  );
}

/** The instance `npm run iam-audit -- module` audits: tracing on, so its X-Ray grant is audited too. */
export const AUDITED_MODULE_INSTANCE: ModuleInstance = {
  projectName: "acme",
  environment: "qa",
  account: "123456789012",
  region: "us-east-1",
  partition: "aws",
  tracing: true,
};

/** The environment the module instance is: its names, and the functions' settings at the module's defaults. */
export const AUDITED_MODULE_ENVIRONMENT: AuditedEnvironment = {
  name: AUDITED_MODULE_INSTANCE.environment,
  projectName: AUDITED_MODULE_INSTANCE.projectName,
  account: AUDITED_MODULE_INSTANCE.account,
  region: AUDITED_MODULE_INSTANCE.region,
  processor: DEFAULTS.processor,
  scheduleApi: DEFAULTS.scheduleApi,
};
