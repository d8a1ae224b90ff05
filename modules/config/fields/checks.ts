import { existsSync } from "node:fs";
import { isAwsRegion } from "../../../core/aws-regions";
import { BUCKET_LAYOUT } from "../../../core/bucket-layout";
import { describeReservedScheduleName, MAX_LENGTHS, MIN_REASON_LENGTH, PATTERNS, REGIONS, TAGS } from "../../../core/config-rules";
import { excludedEntryProblem } from "../../../core/excluded-dates";
import { ONE_TIME_SCHEDULE_PREFIX } from "../../../core/naming";
import { prefixProblem, TASK_PREFIX_RULE } from "../../../core/own-task-access";
import { isIanaTimeZone, validateScheduleExpression } from "../../../core/schedule-expression";
import { refuseTaskName, TASK_NAME, TASK_TYPES } from "../../../core/task-types";
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

const TIME_ZONE_RULE = "must be an IANA time zone name such as America/New_York (case-sensitive)";

/** An IANA zone; a misspelt one is told the closest names. */
export const timeZone: StringCheck = {
  id: "time_zone",
  rule: TIME_ZONE_RULE,
  explain: (value) => (isIanaTimeZone(value) ? undefined : `${TIME_ZONE_RULE}, got ${JSON.stringify(value)}${suggestedTimeZones(value)}`),
};

/** Not the scheduling API's prefix: the API deletes the schedules of its group that carry it. */
export const notOneTimeName: StringCheck = {
  id: "not_one_time_name",
  rule: describeReservedScheduleName(ONE_TIME_SCHEDULE_PREFIX),
  holds: (name) => !name.startsWith(ONE_TIME_SCHEDULE_PREFIX),
};

/** A day a schedule does not run on, or an inclusive range of days (core/excluded-dates.ts says what is wrong). */
export const excludedDate: StringCheck = {
  id: "excluded_date",
  rule: "must be a real date yyyy-mm-dd or a range yyyy-mm-dd/yyyy-mm-dd that runs forwards",
  explain: excludedEntryProblem,
};

/** An event's source that PutEvents takes from a customer: `aws.` is for AWS services' own events. */
export const notAwsEventSource: StringCheck = {
  id: "not_aws_event_source",
  rule: 'must not start with "aws." (the sources of AWS services\' own events)',
  holds: (value) => !value.startsWith("aws."),
};

/** A region of the right shape that exists: us-east-9 has the shape and no data centre. */
export const awsRegion: StringCheck = {
  id: "aws_region",
  rule: REGIONS.rule,
  explain: (value) =>
    !new RegExp(PATTERNS.region.pattern).test(value)
      ? `${PATTERNS.region.rule}, got ${JSON.stringify(value)}`
      : isAwsRegion(value)
        ? undefined
        : `${REGIONS.rule}, got ${JSON.stringify(value)}`,
};

/** AWS's characters for a tag key or value. */
export function tagCharacters(what: "keys" | "values"): StringCheck {
  const allowed = new RegExp(TAGS.characters.pattern, "u");
  return { id: `tag_characters`, rule: `tag ${what} ${TAGS.characters.rule}`, holds: (text) => allowed.test(text) };
}

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
  rule: `tag keys must be 1-${MAX_LENGTHS.tagKey} characters and must not start with ${TAGS.reservedKeyPrefix}`,
  holds: (key) => key.length >= 1 && key.length <= MAX_LENGTHS.tagKey && !key.startsWith(TAGS.reservedKeyPrefix),
  showsValue: false,
};

export const tagValue: StringCheck = {
  id: "tag_value",
  rule: `tag values must be at most ${MAX_LENGTHS.tagValue} characters`,
  holds: (value) => value.length <= MAX_LENGTHS.tagValue,
  showsValue: false,
};

/** An own task's name (the `tasks` key): plain, short, not a built-in task's (core/task-types.ts). */
export const taskName: StringCheck = {
  id: "task_name",
  rule: `must be ${TASK_NAME.rule}, and not a built-in task's name (${TASK_TYPES.join(", ")})`,
  explain: refuseTaskName,
};

/** A prefix an own task reads or writes: a plain key prefix, outside the product's own areas (core/own-task-access.ts). */
export const taskPrefix: StringCheck = {
  id: "task_prefix",
  rule: `${TASK_PREFIX_RULE}; must not overlap the areas the product keeps for itself (${Object.values(BUCKET_LAYOUT)
    .map((area) => area.prefix)
    .join(", ")})`,
  explain: prefixProblem,
};

/** A file that is there when the configuration is read (the module's bundle of an own task, at plan). */
export const fileExists: StringCheck = {
  id: "file_exists",
  rule: "must name a file that exists (build it first: npx scheduled-task-processing bundle <entry> --out <zip>)",
  holds: (path) => existsSync(path),
};

/** The closest IANA names to a misspelt zone: the list of every name loads only for a config that needs it. */
function suggestedTimeZones(name: string): string {
  type Suggestions = typeof import("../../../core/schedule-expression/time-zone-suggestions");
  const { timeZoneSuggestion } = require("../../../core/schedule-expression/time-zone-suggestions") as Suggestions;
  return timeZoneSuggestion(name);
}
