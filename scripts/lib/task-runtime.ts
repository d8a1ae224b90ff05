import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";
import { PROJECT_ROOT } from "../../modules/bundling/function-bundle";

/** The source of `scheduled-task-processing/task`. */
export const TASK_RUNTIME_SOURCE = join(PROJECT_ROOT, "functions", "task", "index.ts");

/**
 * Builds the package's runtime entry, `scheduled-task-processing/task`, into `outDir`: one
 * CommonJS `index.js` with everything it runs on inside (the AWS SDK, Powertools, zod/mini), so
 * a task's app bundles it without installing them, and `index.d.ts` with the declarations it
 * exports (self-contained: they import no package). Node's ES modules import it by name as well.
 */
export function buildTaskRuntime(outDir: string): { script: string; declarations: string[] } {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const { buildSync } = require("esbuild") as typeof import("esbuild");
  const script = join(outDir, "index.js");
  buildSync({
    entryPoints: [TASK_RUNTIME_SOURCE],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    mainFields: ["module", "main"],
    // The SDK loads node:http lazily with import(); as require() the file also loads where ES modules are not at hand.
    supported: { "dynamic-import": false },
    // The licences of the packages inside it travel with it.
    legalComments: "eof",
    outfile: script,
    logLevel: "silent",
  });
  return { script, declarations: emitDeclarations(outDir) };
}

/**
 * The entry's declarations: emitted by tsc for the entry and what it imports, of which only the
 * files its exported types reach are kept, under `types/`, and `index.d.ts` re-exports them.
 * Throws when a kept declaration imports a package: a task's app would not have it.
 */
function emitDeclarations(outDir: string): string[] {
  const ts = require("typescript") as typeof import("typescript");
  const scratch = mkdtempSync(join(tmpdir(), "task-runtime-dts-"));
  try {
    const program = ts.createProgram([TASK_RUNTIME_SOURCE], {
      declaration: true,
      emitDeclarationOnly: true,
      outDir: scratch,
      rootDir: PROJECT_ROOT,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ["node"],
    });
    const emitted = program.emit();
    const errors = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
    if (errors.length > 0) throw new Error(ts.formatDiagnostics(errors, ts.createCompilerHost({})));
    const entry = relative(PROJECT_ROOT, TASK_RUNTIME_SOURCE).replace(/\.ts$/, ".d.ts");
    const kept: string[] = [];
    const pending = [entry];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (kept.includes(file)) continue;
      kept.push(file);
      const text = readFileSync(join(scratch, file), "utf8");
      for (const [, specifier] of text.matchAll(/from "([^"]+)"/g)) {
        if (!specifier.startsWith(".")) throw new Error(`${file} imports ${specifier}: the runtime's declarations must import no package`);
        pending.push(normalize(join(dirname(file), `${specifier}.d.ts`)));
      }
    }
    for (const file of kept) {
      mkdirSync(dirname(join(outDir, "types", file)), { recursive: true });
      cpSync(join(scratch, file), join(outDir, "types", file));
    }
    const typesEntry = `./types/${entry.replace(/\.d\.ts$/, "")}`;
    writeFileSync(join(outDir, "index.d.ts"), `export * from "${typesEntry}";\n`);
    return kept.sort();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
