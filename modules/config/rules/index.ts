import { accessNamesUnique } from "./access-names-unique";
import { crossAccountNeedsBucketPolicy } from "./cross-account-needs-bucket-policy";
import { payloadFitsTask } from "./payload-fits-task";
import { producerPrefixesApart } from "./producer-prefixes-apart";
import { requireKmsNeedsKey } from "./require-kms-needs-key";
import type { CrossFieldRule } from "./rule";
import { scheduleEndsAfterStart } from "./schedule-end-after-start";
import { tagsFit } from "./tags-fit";
import { uniqueScheduleNames } from "./unique-schedule-names";

export type { CrossFieldRule, Finding, HclValidation, RuleContext } from "./rule";

/** Every rule over several fields, in the order their problems are reported. */
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  tagsFit,
  accessNamesUnique,
  crossAccountNeedsBucketPolicy,
  requireKmsNeedsKey,
  producerPrefixesApart,
  uniqueScheduleNames,
  payloadFitsTask,
  scheduleEndsAfterStart,
];
