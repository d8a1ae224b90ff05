import { DEFAULTS } from "../../core/config-defaults";
import { PATTERNS, RANGES } from "../../core/config-rules";
import { validationsTf, variablesTf } from "../../modules/tooling/terraform-module/variables-tf";

const variables = variablesTf();
const validations = validationsTf();

describe("the config rules table", () => {
  it.each(Object.entries(PATTERNS))("%s is in the subset JavaScript and RE2 read alike", (_name, { pattern }) => {
    expect(() => new RegExp(pattern)).not.toThrow();
    // RE2 has no lookaround and no backreferences.
    expect(pattern).not.toMatch(/\(\?[=!<]|\\[1-9]/);
  });

  // The stacks' schema reads each rule by construction; the module's validations read the same pattern from local.patterns.
  it.each(Object.entries(PATTERNS))("the module checks %s with the same pattern", (name, rule) => {
    const key = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    expect(validations).toMatch(new RegExp(`\\n\\s+${key}\\s+= ${JSON.stringify(rule.pattern).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\n`));
  });

  it.each(Object.entries(RANGES))("the module bounds %s by the same range", (_name, range) => {
    expect(variables).toMatch(new RegExp(`>= ${range.min} && [^\\n]*<= ${range.max}\\b`));
  });

  it("the module's variable defaults are the table's", () => {
    expect(variables).toMatch(new RegExp(`memory_mb\\s+= optional\\(number, ${DEFAULTS.processor.memoryMb}\\)`));
    expect(variables).toMatch(new RegExp(`concurrency\\s+= optional\\(number, ${DEFAULTS.processor.concurrency}\\)`));
    expect(variables).toMatch(new RegExp(`timezone\\s+= optional\\(string, "${DEFAULTS.schedule.timezone}"\\)`));
    expect(variables).toMatch(new RegExp(`work_queue_age_seconds\\s+= optional\\(number, ${DEFAULTS.alarms.workQueueAgeSeconds}\\)`));
    expect(variables).toMatch(new RegExp(`max_receive_count\\s+= optional\\(number, ${DEFAULTS.fanOut.maxReceiveCount}\\)`));
  });
});
