import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** A config or module input file's values, or why it could not be read (in the problem format: `<label>.<root>: ...`). */
export type ConfigFile = { readonly label: string; readonly raw: unknown } | { readonly label: string; readonly problem: string };

/**
 * Reads an environment config (`.json`) or a module input file (`.tfvars` in HCL, `.tfvars.json`):
 * HCL through CDKTF's own HCL-to-JSON converter, so the values are those Terraform would read.
 */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  const hcl = /\.tfvars$/i.test(path);
  const label = basename(path).replace(/(\.tfvars)?(\.json)?$/i, "");
  try {
    const text = readFileSync(path, "utf8");
    const raw = hcl ? await (await import("@cdktf/hcl2json")).parse(basename(path), text) : JSON.parse(text);
    return { label, raw };
  } catch (error) {
    return { label, problem: `${label}.<root>: cannot read ${path} as ${hcl ? "HCL" : "JSON"}: ${(error as Error).message}` };
  }
}
