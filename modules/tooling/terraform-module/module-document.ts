import type { ModuleFiles } from "./synthesize-module";

/** The module's resources and moved blocks as its HCL declares them, for the state contract. */
export interface ModuleDocument {
  readonly resource: Record<string, Record<string, unknown>>;
  readonly moved: Array<{ readonly from: string; readonly to: string }>;
}

/** Reads the module's .tf files (hcl2json) into the shape the address contract checks. */
export async function moduleDocument(files: ModuleFiles): Promise<ModuleDocument> {
  const { parse } = await import("@cdktf/hcl2json");
  const resource: Record<string, Record<string, unknown>> = {};
  const moved: Array<{ from: string; to: string }> = [];
  const bare = (reference: unknown) => String(reference).replace(/^\$\{(.*)\}$/, "$1");
  for (const [path, text] of files) {
    if (!path.endsWith(".tf") || path.includes("/")) continue;
    const parsed = (await parse(path, String(text))) as {
      resource?: Record<string, Record<string, unknown>>;
      moved?: Array<{ from: unknown; to: unknown }>;
    };
    for (const [type, byName] of Object.entries(parsed.resource ?? {})) resource[type] = { ...resource[type], ...byName };
    for (const block of parsed.moved ?? []) moved.push({ from: bare(block.from), to: bare(block.to) });
  }
  return { resource, moved };
}
