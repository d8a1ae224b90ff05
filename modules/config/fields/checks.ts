import { MAX_LENGTHS, MIN_REASON_LENGTH, PATTERNS } from "../../../core/config-rules";
import { isIanaTimeZone, validateScheduleExpression } from "../../../core/schedule-expression";
import type { StringCheck } from "./field";

/**
 * The checks a pattern cannot make. Each has its HCL conditions in
 * modules/tooling/terraform-module/templates/checks/<id>.hcl (the module's side of the same rule).
 */

/** cron(...), rate(...) or at(...), as EventBridge Scheduler reads them (the whole calendar in TypeScript). */
export const scheduleExpression: StringCheck = {
  id: "schedule_expression",
  rule: "must be cron(...), rate(...) or at(...) as EventBridge Scheduler reads them",
  explain: validateScheduleExpression,
};

export const timeZone: StringCheck = {
  id: "time_zone",
  rule: "must be an IANA time zone name such as America/New_York (case-sensitive)",
  holds: isIanaTimeZone,
};

/** An RFC 3339 instant that is a real date (the pattern alone takes 2027-02-31). */
export const instant: StringCheck = {
  id: "instant",
  rule: PATTERNS.rfc3339.rule,
  holds: (value) => new RegExp(PATTERNS.rfc3339.pattern).test(value) && !Number.isNaN(Date.parse(value)),
};

export const httpsUrl: StringCheck = {
  id: "https_url",
  rule: PATTERNS.httpsUrl.rule,
  holds: (value) => {
    if (!new RegExp(PATTERNS.httpsUrl.pattern).test(value)) return false;
    try {
      return new URL(value).protocol === "https:";
    } catch {
      return false;
    }
  },
};

/** A key prefix below incoming/: relative, no `..`, so a payload cannot reach other areas. */
export const relativePrefix: StringCheck = {
  id: "relative_prefix",
  rule: 'must be a relative prefix under incoming/ without ".."',
  holds: (value) => value.length > 0 && !value.startsWith("/") && !value.split("/").includes(".."),
};

/** A reason someone will read later: what it explains, at least MIN_REASON_LENGTH characters. */
export function reason(what: string): StringCheck {
  return {
    id: "reason",
    rule: `must explain ${what} (${MIN_REASON_LENGTH} characters or more)`,
    holds: (value) => value.trim().length >= MIN_REASON_LENGTH,
    showsValue: false,
  };
}

/** A state key: not empty, and relative to the bucket. */
export const stateKey: StringCheck = {
  id: "state_key",
  rule: "must be a non-empty key that does not start with /",
  holds: (value) => value.length > 0 && !value.startsWith("/"),
  showsValue: false,
};

/** AWS's tag keys: 1 to MAX_LENGTHS.tagKey characters, the aws: prefix reserved. */
export const tagKey: StringCheck = {
  id: "tag_key",
  rule: `tag keys must be 1-${MAX_LENGTHS.tagKey} characters and must not start with aws:`,
  holds: (key) => key.length >= 1 && key.length <= MAX_LENGTHS.tagKey && !key.startsWith("aws:"),
  showsValue: false,
};

export const tagValue: StringCheck = {
  id: "tag_value",
  rule: `tag values must be at most ${MAX_LENGTHS.tagValue} characters`,
  holds: (value) => value.length <= MAX_LENGTHS.tagValue,
  showsValue: false,
};
