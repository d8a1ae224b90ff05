import { accessSync, constants, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** Where the machine's provider mirror is, unless TF_PLUGIN_MIRROR names another (see docs/review.md). */
export const DEFAULT_PLUGIN_MIRROR = "/opt/tf-plugins";

/** Written beside cdk.tf.json; Terraform merges *_override.tf.json over the stack. */
export const OFFLINE_OVERRIDE_FILE = "offline_override.tf.json";

/** The terraform binary on PATH, or undefined. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findExecutable("terraform", env);
}

/** An executable `name` on PATH, or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const directory of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** A filesystem mirror holding registry.terraform.io providers, if one is configured or present. */
export function findPluginMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const mirror = env.TF_PLUGIN_MIRROR ?? DEFAULT_PLUGIN_MIRROR;
  return existsSync(join(mirror, "registry.terraform.io")) ? mirror : undefined;
}

/** The hashicorp/aws versions the mirror holds (none without a mirror). */
export function mirroredAwsProviderVersions(env: NodeJS.ProcessEnv = process.env): string[] {
  const mirror = findPluginMirror(env);
  const folder = mirror && join(mirror, "registry.terraform.io", "hashicorp", "aws");
  return folder && existsSync(folder) ? readdirSync(folder).filter((name) => /^\d+\.\d+\.\d+$/.test(name)) : [];
}

/** Whether version `a` is at least `b` (both x.y.z). */
export function versionAtLeast(a: string, b: string): boolean {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return true;
}

/**
 * Why terraform cannot install hashicorp/aws `needs` or later here, or undefined when it can: a
 * mirror is configured (so the registry is not asked) and holds no such version. Without a
 * mirror, init downloads from the registry as usual.
 */
export function awsProviderUnavailable(needs: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const mirror = findPluginMirror(env);
  if (!mirror) return undefined;
  const versions = mirroredAwsProviderVersions(env);
  if (versions.some((version) => versionAtLeast(version, needs))) return undefined;
  return `the provider mirror at ${mirror} holds hashicorp/aws ${versions.join(", ") || "in no version"} only, older than ${needs}`;
}

/**
 * Environment for running terraform without reaching the registry: a CLI config that installs
 * hashicorp providers from the mirror (when there is one) through a shared plugin cache, so
 * each init links the provider instead of copying 700 MB.
 */
export function terraformCliEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const home = join(tmpdir(), "scheduled-task-processing-terraform");
  const cache = join(home, "plugin-cache");
  mkdirSync(cache, { recursive: true });
  const mirror = findPluginMirror(env);
  const installation = mirror
    ? `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`
    : "";
  const cliConfig = join(home, "terraformrc");
  // Stacks are synthesized without a lock file; without this, each init would copy the
  // provider into the cache again instead of linking the copy already there.
  writeFileSync(
    cliConfig,
    `plugin_cache_dir = ${JSON.stringify(cache)}\nplugin_cache_may_break_dependency_lock_file = true\n${installation}`,
  );
  return { ...env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
}

/**
 * Makes a synthesized stack plan without an AWS account: a local backend, and a provider that
 * skips credential checks, the account lookup and the metadata API. Only ever written into the
 * synthesized output, never into the product's own configuration.
 */
export function writeOfflineOverride(stackDirectory: string): string {
  const path = join(stackDirectory, OFFLINE_OVERRIDE_FILE);
  const override = {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: {
      aws: {
        access_key: "offline-plan",
        secret_key: "offline-plan",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        allowed_account_ids: null,
      },
    },
  };
  writeFileSync(path, `${JSON.stringify(override, null, 2)}\n`);
  return path;
}
