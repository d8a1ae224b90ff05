import { DEFAULTS } from "../../core/config-defaults";
import { PATTERNS, RANGES, TAGS } from "../../core/config-rules";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../core/naming";
import { MODULE_VARIABLES } from "../../modules/tooling/terraform-module/module-variables";

const conditions = MODULE_VARIABLES.flatMap((v) => v.validations.map((check) => check.condition)).join("\n");
const types = MODULE_VARIABLES.map((v) => v.type).join("\n");

describe("the config rules table", () => {
  it.each(Object.entries(PATTERNS))("%s is in the subset JavaScript and RE2 read alike", (_name, { pattern }) => {
    expect(() => new RegExp(pattern)).not.toThrow();
    // RE2 has no lookaround and no backreferences.
    expect(pattern).not.toMatch(/\(\?[=!<]|\\[1-9]/);
  });

  // The stacks' schema reads each rule by construction; the module's HCL must carry the same text (it has no
  // region or address inputs).
  it.each(Object.entries(PATTERNS).filter(([name]) => !["resourceAddress", "region"].includes(name)))(
    "the module checks %s with the same pattern",
    (_name, rule) => {
      expect(conditions).toContain(`regex(${JSON.stringify(rule.pattern)}`);
    },
  );

  it.each(Object.entries(RANGES).filter(([name]) => name !== "flexibleWindowMinutes"))(
    "the module bounds %s by the same range",
    (_name, range) => {
      expect(conditions).toContain(`>= ${range.min} && `);
      expect(conditions).toMatch(new RegExp(`<= ${range.max}\\)`));
    },
  );

  it("the tag characters are AWS's: letters and digits of any script, spaces and _ . : / = + - @, in the stacks and the module", () => {
    const allowed = new RegExp(TAGS.characters.pattern, "u");
    for (const text of ["", "cost-center", "Zoë Müller", "部署 開発", "a_b.c:d/e=f+g-h@i", "١٢٣"]) expect(allowed.test(text)).toBe(true);
    for (const text of ["a;b", "Zoë's", "#1", "<x>", "a\tb", "€", "a*b"]) expect(allowed.test(text)).toBe(false);
    expect(conditions).toContain(`regex(${JSON.stringify(TAGS.characters.pattern)}, k)`);
    expect(conditions).toContain(`regex(${JSON.stringify(TAGS.characters.pattern)}, v)`);
  });

  it("the module refuses the scheduling API's prefix with the constant the API reads", () => {
    expect(conditions).toContain(`!startswith(s.name, ${JSON.stringify(ONE_TIME_SCHEDULE_PREFIX)})`);
  });

  it("the module's variable defaults are the table's", () => {
    expect(types).toContain(`memory_mb          = optional(number, ${DEFAULTS.processor.memoryMb})`);
    expect(types).toContain(`concurrency        = optional(number, ${DEFAULTS.processor.concurrency})`);
    expect(types).toContain(`timezone                = optional(string, "${DEFAULTS.schedule.timezone}")`);
    expect(types).toContain(`work_queue_age_seconds          = optional(number, ${DEFAULTS.alarms.workQueueAgeSeconds})`);
    expect(types).toContain(`max_receive_count      = optional(number, ${DEFAULTS.fanOut.maxReceiveCount})`);
  });
});
