import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EnvironmentConfig } from "../../modules/config/schema";
import { awsMockDefaults, mockAwsProvider } from "../../modules/tooling/terraform-module/module-mocks";
import { terraformCliEnv } from "./offline-terraform";
import { runTerraform } from "./terraform-runner";

/** Written beside the copied stack: a local backend, an offline provider, and nothing protected from the rehearsal's own cleanup. */
export const REHEARSAL_OVERRIDE_FILE = "rehearsal_override.tf.json";

/** Resources `prevent_destroy` guards; `terraform test` destroys what it applied, so the rehearsal lifts it. */
const PROTECTED = [
  ["aws_s3_bucket", "data"],
  ["aws_kms_key", "operations"],
] as const;

export interface RehearsedStack {
  readonly stackDirectory: string;
  readonly config: EnvironmentConfig;
}

/**
 * Applies synthesized stacks with `terraform test` and a mock AWS provider (offline, no
 * account), and checks what only an apply knows: values computed at apply time and the
 * references between resources, read back through each stack's outputs. One run block per
 * stack, each applying a copy of it as the run's own root, so one init and one provider start
 * serve them all; nothing of the rehearsal reaches the stack directories.
 */
export async function rehearseApplies(stacks: readonly RehearsedStack[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const workspace = mkdtempSync(join(tmpdir(), "rehearsal-"));
  writeFileSync(join(workspace, "main.tf.json"), "{}\n");
  const runs: string[] = [];
  // The mock defaults the module ships, so its users and these rehearsals mock the same way.
  const mocks = join(workspace, "mocks");
  mkdirSync(mocks);
  writeFileSync(join(mocks, "aws.tfmock.hcl"), awsMockDefaults());
  for (const { stackDirectory, config } of stacks) {
    const directory = join(workspace, config.name);
    cpSync(stackDirectory, directory, {
      recursive: true,
      filter: (path) => !path.includes(".terraform") && !path.endsWith(".tfstate") && !path.endsWith("tfplan"),
    });
    writeRehearsalOverride(directory);
    const alias = config.name.replace(/-/g, "_");
    runs.push(mockAwsProvider("./mocks", alias), rehearsalRun(config, `./${config.name}`, alias));
  }
  mkdirSync(join(workspace, "tests"), { recursive: true });
  writeFileSync(join(workspace, "tests", "rehearsal.tftest.hcl"), runs.join("\n"));
  const terraformEnv = terraformCliEnv(env);
  await runTerraform("init", ["init", "-input=false", "-no-color"], workspace, terraformEnv);
  return runTerraform("test", ["test", "-no-color"], workspace, terraformEnv);
}

/** A local backend, an offline provider, and nothing protected from the rehearsal's own cleanup. */
function writeRehearsalOverride(directory: string): void {
  const document = JSON.parse(readFileSync(join(directory, "cdk.tf.json"), "utf8"));
  const lifted: Record<string, Record<string, unknown>> = {};
  for (const [type, name] of PROTECTED) {
    if (document.resource?.[type]?.[name]) (lifted[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
  }
  writeFileSync(
    join(directory, REHEARSAL_OVERRIDE_FILE),
    JSON.stringify({
      terraform: { backend: { local: { path: "terraform.tfstate" } } },
      provider: {
        aws: {
          access_key: "rehearsal",
          secret_key: "rehearsal",
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          allowed_account_ids: null,
        },
      },
      ...(Object.keys(lifted).length > 0 ? { resource: lifted } : {}),
    }),
  );
}

/** The run block: outputs that prove names, references and the schedule map came out right. */
function rehearsalRun(config: EnvironmentConfig, source: string, alias: string): string {
  const prefix = `${config.projectName}-${config.name}`;
  const schedules = config.schedules
    .map((s) => s.name)
    .sort()
    .join(",");
  const bucket = config.adopt?.bucket?.name ?? `${prefix}-data-${config.account}`;
  const assert = (condition: string, message: string) =>
    `  assert {\n    condition     = ${condition}\n    error_message = ${JSON.stringify(`${config.name}: ${message}`)}\n  }`;
  return [
    `run "${config.name}" {`,
    "  command = apply",
    `  module {\n    source = ${JSON.stringify(source)}\n  }`,
    `  providers = {\n    aws = aws.${alias}\n  }`,
    assert(`output.bucket_name == ${JSON.stringify(bucket)}`, "bucket_name"),
    assert(`output.schedule_group_name == ${JSON.stringify(prefix)}`, "schedule_group_name"),
    assert(`join(",", sort(keys(output.schedule_arns))) == ${JSON.stringify(schedules)}`, "schedule_arns maps every schedule"),
    assert(`output.processor_function_name == ${JSON.stringify(`${prefix}-processor`)}`, "processor_function_name"),
    assert(
      `length(output.alarm_names) >= 10 && alltrue([for name in output.alarm_names : startswith(name, ${JSON.stringify(`${prefix}-`)})])`,
      "alarm_names",
    ),
    assert(
      `output.work_queue_url != null && output.scheduler_role_arn != null && output.schedule_api_url != null`,
      "outputs computed at apply",
    ),
    "}",
    "",
  ].join("\n");
}
