import { TerraformStack, Testing } from "cdktf";
import { prod } from "../../../environments/prod";
import { buildFunctionBundles } from "../../../modules/bundling/function-bundle";
import type { EnvironmentFile } from "../../../modules/config/schema";
import { ConfigError } from "../../../modules/config/validate";
import { ScheduledTaskProcessing } from "../../../modules/constructs/scheduled-task-processing";

/** prod's config as another app would hand it to the construct (not validated beforehand), with one extra schedule. */
function configWith(schedule: Partial<NonNullable<EnvironmentFile["schedules"]>[number]>): EnvironmentFile {
  const schedules = prod.schedules ?? [];
  return { ...prod, schedules: [...schedules, { ...schedules[0], ...schedule } as NonNullable<EnvironmentFile["schedules"]>[number]] };
}

describe("ScheduledTaskProcessing given a config it validates itself", () => {
  const bundles = buildFunctionBundles();

  it("builds, and warns on the construct, when a one-time schedule has fired within the last 30 days", () => {
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 19);
    const stack = new TerraformStack(Testing.app(), "stack");
    const tasks = new ScheduledTaskProcessing(stack, "tasks", {
      config: configWith({ name: "backfill", expression: `at(${tenDaysAgo})`, timezone: "UTC" }),
      bundles,
    });
    const warnings = tasks.node.metadata.filter((entry) => entry.type === "@cdktf/warn").map((entry) => entry.data);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^prod\.schedules\[3\]\.expression: at\(.*\) in UTC is in the past .*; remove the schedule by \d{4}-\d\d-\d\d, /,
      ),
    ]);
  });

  it("refuses a schedule that never fires, with the reason", () => {
    const build = () =>
      new ScheduledTaskProcessing(new TerraformStack(Testing.app(), "stack"), "tasks", {
        config: configWith({ name: "leap", expression: "cron(0 0 31 2 ? *)" }),
        bundles,
      });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow("prod.schedules[3].expression: never fires: February has no day 31");
  });
});
