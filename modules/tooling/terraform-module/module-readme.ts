import { defaultOf, rulesOf } from "../../config/fields/describe";
import { type Field, fieldsOf, hclName, mayBeOmittedIn } from "../../config/fields/field";
import { PAYLOAD_TASKS, payloadField } from "../../config/fields/schedules";
import { hclLiteral, hclType, moduleInputs, nullableInHcl } from "./variables-tf";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n\s*/g, " ");
const code = (text: string) => `\`${text.replace(/\|/g, "\\|")}\``;

/** A field's type on one line: `list(object({...}))` shortened to what a table cell can hold. */
function shortType(field: Field): string {
  const full = hclType(field).replace(/\s+/g, " ");
  return full.length <= 40 ? full : full.replace(/object\(\{.*\}\)/, "object({...})");
}

/** A field's default as an input table shows it. */
function defaultCell(field: Field): string {
  if (!mayBeOmittedIn(field, "module")) return "";
  if (field.default !== undefined && !field.defaultAtRunTime) return code(hclLiteral(field.default));
  if (nullableInHcl(field) || field.defaultAtRunTime)
    return `${code("null")}${field.defaultText || field.defaultAtRunTime ? ` (${cell(defaultOf(field) ?? "")})` : ""}`;
  return cell(defaultOf(field) ?? "");
}

function description(field: Field): string {
  const rules = rulesOf(field);
  return cell(`${field.description}${rules.length > 0 ? ` Rule: ${rules.join("; ")}.` : ""}`);
}

/** The rows of an object's attributes, and of theirs, by path: `schedules[].retry.max_attempts`. */
function attributeRows(field: Field, path: string): string[] {
  const object = field.kind === "list" ? field.item : field.kind === "map" ? field.value : field;
  if (object.kind !== "object") return [];
  const prefix = field.kind === "list" ? `${path}[]` : field.kind === "map" ? `${path}[<${field.itemName ?? "key"}>]` : path;
  return fieldsOf(object, "module").flatMap(({ key, field: inner }) => {
    const at = `${prefix}.${hclName(key, inner)}`;
    const row = tableRow(
      code(at),
      description(inner),
      code(shortType(inner)),
      defaultCell(inner),
      mayBeOmittedIn(inner, "module") ? "no" : "yes",
    );
    return [row, ...(inner === payloadField ? [] : attributeRows(inner, at)), ...(inner === payloadField ? payloadRows(at) : [])];
  });
}

function payloadRows(path: string): string[] {
  return fieldsOf(payloadField, "module").map(({ key, field }) => {
    const tasks = PAYLOAD_TASKS[key as keyof typeof PAYLOAD_TASKS].join(", ");
    return tableRow(
      code(`${path}.${hclName(key, field)}`),
      `${description(field)} Tasks: ${tasks}.`,
      code(shortType(field)),
      defaultCell(field),
      "no",
    );
  });
}

const tableRow = (...cells: string[]) => `| ${cells.join(" | ")} |`;

/**
 * The module's own README: what it is, how to call it, how to plan it without credentials, and
 * its inputs (with every nested attribute) and outputs.
 */
export function moduleReadme(outputs: Record<string, { description?: string }>): string {
  const inputs = moduleInputs();
  const inputRows = inputs.map(({ key, field }) =>
    tableRow(
      code(hclName(key, field)),
      description(field),
      code(shortType(field)),
      defaultCell(field),
      mayBeOmittedIn(field, "module") ? "no" : "yes",
    ),
  );
  const nested = inputs
    .filter(
      ({ field }) =>
        field.kind === "object" ||
        (field.kind === "list" && field.item.kind === "object") ||
        (field.kind === "map" && field.value.kind === "object"),
    )
    .map(
      ({ key, field }) => `### ${code(hclName(key, field))}

| Attribute | Description | Type | Default | Required |
| --- | --- | --- | --- | --- |
${attributeRows(field, hclName(key, field)).join("\n")}
`,
    );
  const outputRows = Object.entries(outputs).map(([name, o]) => `| ${code(name)} | ${cell(o.description ?? "")} |`);
  return `# scheduled-task-processing (Terraform module)

Scheduled business task processing on AWS for one environment: an EventBridge Scheduler group
and schedules, the processor Lambda (its code is in \`functions/\`), a versioned, encrypted,
TLS-only S3 bucket, notification and operations SNS topics, a work queue for large runs, failure
handling, a one-time scheduling API, alarms and a dashboard. It has no provider configuration
and no backend: it runs under your \`aws\` provider, in your state. It needs Terraform 1.11 or
later (the oldest it is tested with) and hashicorp/aws 5.100 or later, through 6.x
(\`>= 5.100.0, < 7.0.0\`; plans and applies are tested on 5.100, and every name it sets is
checked against the 6.x schema). A root that sets \`processor = { runtime = "nodejs24.x" }\`
needs hashicorp/aws 6.19 or later: 5.100 refuses that runtime at plan.

It is written by \`npm run module -- --out terraform-module\` from the same CDKTF construct as the
repository's stacks (one implementation: the same resources at the same addresses), with the
hand-written HCL (locals, validations) taken from templates; do not edit it here.

\`\`\`hcl
module "tasks_qa" {
  source       = "git::https://example.com/scheduled-task-processing.git//terraform-module?ref=v0.2.0"
  project_name = "acme"
  environment  = "qa"
  schedules = [
    { name = "hourly-ingest", expression = "rate(1 hour)", task = "data_processing", payload = { required_fields = ["id"] } },
    { name = "daily-report", expression = "cron(0 9 * * ? *)", timezone = "Europe/Berlin", task = "report" },
  ]
  notifications = { email = ["ops@example.com"] }
}
\`\`\`

Pin \`ref\` to a release tag (\`v0.2.0\`) or a full 40-character commit SHA, as Terraform's git
source documents; a branch name moves under you. After changing \`ref\`, run
\`terraform init -upgrade\`: a plain \`init\` keeps the module it already downloaded.

Runnable examples: [\`examples/two-environments\`](examples/two-environments) (a minimal and a
complete environment in one root, applied by \`terraform test\` with the mocks below) and
[\`examples/plan-without-credentials\`](examples/plan-without-credentials).

## Files

| File | What it holds |
| --- | --- |
| \`versions.tf\` | The Terraform and AWS provider versions it needs. |
| \`variables.tf\` | Every input, its type with defaults, and one validation block a rule. |
| \`validations.tf\`, \`time-zones.tf\` | What the validations check against: patterns, the cron grammar, the IANA time zone names. |
| \`main.tf\` | The account, region and partition, and the resources' names. |
| \`storage.tf\` | The task bucket and its settings and policy. |
| \`access.tf\` | What producers and readers may do: bucket-policy statements and managed policies. |
| \`notifications.tf\` | The notification topic and the subscriptions. |
| \`processor.tf\` | The processor, its role, failure queue and the work queue of large runs. |
| \`schedules.tf\` | The schedule group, the schedules and the role Scheduler assumes. |
| \`failure-handler.tf\`, \`schedule-api.tf\` | Failure handling and the one-time scheduling API. |
| \`alarms.tf\`, \`dashboard.tf\` | The operations topic and key, the alarms (with missed-run alarms), the dashboard. |
| \`outputs.tf\` | What it returns, under the stacks' names. |
| \`mocks/\`, \`functions/\` | Mock defaults for \`terraform test\`; the functions' code. |

## Inputs are checked at plan

Each rule of each input is its own \`validation\` block whose message names the field and, in a
list, the item at fault, for example:

\`\`\`
schedules[1].retry.max_attempts must be an integer from 0 to 185, got 200 (schedule "eager").
\`\`\`

What HCL cannot check (the exact calendar of a cron expression, DST gaps) the repository checks:
\`npm run config -- check <file.tfvars>\` (HCL or JSON), and
\`npm run schedules -- list --tfvars <file.tfvars.json>\` previews each schedule's runs and its
exact missed-run window (the module bounds it from the expression's shape; weekly and rarer
crons get no missed-run alarm unless \`missed_run_alarm\` is given).

Resource addresses are fixed (\`aws_s3_bucket.data\`, \`aws_scheduler_schedule.tasks["<name>"]\`,
...). Data is protected by the bucket refusing deletion while it holds objects (\`force_destroy\`
is never set) and KMS keys' 30-day deletion window; \`prevent_destroy\` cannot be an input in
Terraform, so the module leaves it to you.

## Planning without credentials (CI, review)

A plan needs no AWS account: give the provider dummy keys and tell it not to check them, not to
ask for the account and not to reach the instance metadata service, and give the module
\`account_id\`, so it does not look the account up (\`data.aws_caller_identity\` needs real
credentials). Use a local or no backend for such a plan. Nothing is created; \`terraform plan\`
shows every resource with its planned values, policies included
([\`examples/plan-without-credentials\`](examples/plan-without-credentials)):

\`\`\`hcl
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "plan-only"
  secret_key                  = "plan-only"
  skip_credentials_validation = true # no sts:GetCallerIdentity for the keys
  skip_requesting_account_id  = true # no call to learn the account
  skip_metadata_api_check     = true # no instance metadata service
}

module "tasks" {
  source       = "git::https://example.com/scheduled-task-processing.git//terraform-module?ref=v0.2.0"
  project_name = "acme"
  environment  = "ci"
  account_id   = "123456789012" # the account the real apply will use
  # ...
}
\`\`\`

The region is the provider's: set the one you will deploy to, since names and ARNs in the plan
carry it. An apply needs real credentials for that account.

## Testing a root that calls it

\`terraform test\` with a bare \`mock_provider "aws" {}\` fails on the random strings it makes up
for ARNs and URLs. The module ships well-formed mock defaults in \`mocks/aws.tfmock.hcl\`
(account 123456789012, us-east-1); point the mock provider at them (Terraform 1.7 or later):

\`\`\`hcl
# tests/tasks.tftest.hcl in your root, where the module is called as module "tasks"
mock_provider "aws" {
  source = "./.terraform/modules/tasks/terraform-module/mocks"
}

run "plans_and_applies" {
  command = apply
  assert {
    condition     = module.tasks.bucket_name != ""
    error_message = "the module names its bucket"
  }
}
\`\`\`

(With a local \`source\`, point at that folder's \`mocks/\` instead.) This repository's own
rehearsals and examples use the same file.

## Inputs

| Name | Description | Type | Default | Required |
| --- | --- | --- | --- | --- |
${inputRows.join("\n")}

### Nested attributes

Every attribute of the object inputs, with its default when left out (\`null\` where it is
optional and has none). A schedule's \`payload\` takes only its task's fields.

${nested.join("\n")}
## Outputs

| Name | Description |
| --- | --- |
${outputRows.join("\n")}
`;
}
