import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { mockAwsProvider } from "./mock-provider";
import { terraformCliEnv } from "./offline-terraform";
import { runTerraform } from "./terraform-runner";

/** Written beside the copied stack: a local backend, an offline provider, and nothing protected from the rehearsal's own cleanup. */
export const REHEARSAL_OVERRIDE_FILE = "rehearsal_override.tf.json";

/** Resources `prevent_destroy` guards; `terraform test` destroys what it applied, so the rehearsal lifts it. */
const PROTECTED = [["aws_s3_bucket", "data"], ["aws_kms_key", "operations"]] as const;

/**
 * Applies a synthesized stack with `terraform test` and a mock AWS provider (offline, no
 * account), and checks what only an apply knows: values computed at apply time and the
 * references between resources, read back through the stack's outputs. Works on a copy, so
 * nothing of the rehearsal reaches the stack directory.
 */
export async function rehearseApply(stackDirectory: string, config: EnvironmentConfig, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), `rehearsal-${config.name}-`));
  cpSync(stackDirectory, directory, { recursive: true, filter: (path) => !path.includes(".terraform") && !path.endsWith(".tfstate") && !path.endsWith("tfplan") });
  const document = JSON.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8"));
  const lifted: Record<string, Record<string, unknown>> = {};
  for (const [type, name] of PROTECTED) {
    if (document.resource?.[type]?.[name]) (lifted[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
  }
  writeFileSync(
    join(directory, REHEARSAL_OVERRIDE_FILE),
    JSON.stringify({
      terraform: { backend: { local: { path: "terraform.tfstate" } } },
      provider: { aws: { access_key: "rehearsal", secret_key: "rehearsal", skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, allowed_account_ids: null } },
      ...(Object.keys(lifted).length > 0 ? { resource: lifted } : {}),
    }),
  );
  mkdirSync(join(directory, "tests"), { recursive: true });
  writeFileSync(join(directory, "tests", "rehearsal.tftest.hcl"), rehearsalTest(config));
  const terraformEnv = terraformCliEnv(env);
  await runTerraform("init", ["init", "-input=false", "-no-color"], directory, terraformEnv);
  return runTerraform("test", ["test", "-no-color"], directory, terraformEnv);
}

/** The run block: outputs that prove names, references and the schedule map came out right. */
function rehearsalTest(config: EnvironmentConfig): string {
  const prefix = `${config.projectName}-${config.name}`;
  const schedules = config.schedules.map((s) => s.name).sort().join(",");
  const bucket = config.adopt?.bucket?.name ?? `${prefix}-data-${config.account}`;
  const assert = (condition: string, message: string) => `  assert {\n    condition     = ${condition}\n    error_message = ${JSON.stringify(message)}\n  }`;
  return [
    mockAwsProvider(config.account, config.region),
    "",
    'run "apply" {',
    "  command = apply",
    assert(`output.bucket_name == ${JSON.stringify(bucket)}`, "bucket_name"),
    assert(`output.schedule_group_name == ${JSON.stringify(prefix)}`, "schedule_group_name"),
    assert(`join(",", sort(keys(output.schedule_arns))) == ${JSON.stringify(schedules)}`, "schedule_arns maps every schedule"),
    assert(`output.processor_function_name == ${JSON.stringify(`${prefix}-processor`)}`, "processor_function_name"),
    assert(`length(output.alarm_names) >= 10 && alltrue([for name in output.alarm_names : startswith(name, ${JSON.stringify(`${prefix}-`)})])`, "alarm_names"),
    assert(`output.work_queue_url != null && output.scheduler_role_arn != null && output.schedule_api_url != null`, "outputs computed at apply"),
    "}",
    "",
  ].join("\n");
}
