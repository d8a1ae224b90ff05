import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { resourceNames } from "../../core/naming";
import { ENVIRONMENTS, resources, synthEnvironment } from "../support/synth";

const ROOT = resolve(__dirname, "..", "..");
const operations = readFileSync(join(ROOT, "docs", "operations.md"), "utf8");
const runbook = operations.slice(operations.indexOf("## Runbook: when an alarm fires"), operations.indexOf("## Run history and backfill"));
/** The runbook's entries: `### \`processor-errors\``, `### \`missed-run-<schedule>\``. */
const entries = [...runbook.matchAll(/^### `([^`]+)`/gm)].map((match) => match[1]);

/** Each environment's alarms, their names without the environment's prefix (`missed-run-${each.key}`). */
const stackAlarms = ENVIRONMENTS.map((config) => {
  const prefix = resourceNames(config).alarmPrefix;
  const alarms = resources(synthEnvironment(config), "aws_cloudwatch_metric_alarm").map(([, body]) =>
    String(body.alarm_name).slice(prefix.length),
  );
  return [config.name, alarms] as const;
});
const moduleAlarms = readdirSync(join(ROOT, "terraform-module"))
  .filter((file) => file.endsWith(".tf"))
  .flatMap((file) => [
    ...readFileSync(join(ROOT, "terraform-module", file), "utf8").matchAll(/alarm_name\s*=\s*"\$\{local\.name_prefix\}-([^"]+)"/g),
  ])
  .map((match) => match[1]);

/** An entry names an alarm when they match, a `<placeholder>` standing for one instance's key. */
function names(entry: string, alarm: string): boolean {
  const pattern = entry
    .split(/<[a-z-]+>/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${pattern}$`).test(alarm.replaceAll("${each.key}", "<key>"));
}
const uncovered = (alarms: readonly string[]) => alarms.filter((alarm) => !entries.some((entry) => names(entry, alarm)));

describe("the runbook (docs/operations.md, 'Runbook: when an alarm fires')", () => {
  it.each(stackAlarms)("has an entry for every alarm of %s", (_, alarms) => {
    expect(alarms.length).toBeGreaterThan(5);
    expect(uncovered(alarms)).toEqual([]);
  });

  it("has an entry for every alarm of the Terraform module", () => {
    expect(moduleAlarms.length).toBeGreaterThan(5);
    expect(uncovered(moduleAlarms)).toEqual([]);
  });

  it("has no entry for an alarm that neither the stacks nor the module have", () => {
    const all = [...stackAlarms.flatMap(([, alarms]) => alarms), ...moduleAlarms];
    expect(entries.filter((entry) => !all.some((alarm) => names(entry, alarm)))).toEqual([]);
  });
});
