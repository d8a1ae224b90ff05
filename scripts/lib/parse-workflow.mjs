// Parses GitHub Actions workflow files with GitHub's own parser (@actions/workflow-parser is
// ES-module only) and prints, per file, its errors and the converted template as JSON.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";

const results = {};
for (const path of process.argv.slice(2)) {
  const parsed = parseWorkflow({ name: basename(path), content: readFileSync(path, "utf8") }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  let template;
  if (errors.length === 0 && parsed.value) template = await convertWorkflowTemplate(parsed.context, parsed.value);
  results[basename(path)] = {
    errors: [...errors, ...(template?.errors ?? []).map((e) => e.Message ?? String(e))],
    template: template ? JSON.parse(JSON.stringify(template)) : undefined,
  };
}
process.stdout.write(JSON.stringify(results));
