import { accessNamesUnique } from "./access-names-unique";
import { crossAccountNeedsBucketPolicy } from "./cross-account-needs-bucket-policy";
import { fifoQueueNeedsGroup } from "./fifo-queue-needs-group";
import { ownTaskDeclarations } from "./own-task-declarations";
import { ownTaskEntries } from "./own-task-entries";
import { payloadFitsTask } from "./payload-fits-task";
import { producerPrefixesApart } from "./producer-prefixes-apart";
import { requireKmsNeedsKey } from "./require-kms-needs-key";
import type { CrossFieldRule } from "./rule";
import { scheduleEndsAfterStart } from "./schedule-end-after-start";
import { scheduleTaskKnown } from "./schedule-task-known";
import { tagsFit } from "./tags-fit";
import { targetInputFits } from "./target-input-fits";
import { targetNamesOneService } from "./target-names-one-service";
import { targetParametersFit } from "./target-parameters-fit";
import { taskFieldsWithTask } from "./task-fields-with-task";
import { taskOrTarget } from "./task-or-target";
import { uniqueScheduleNames } from "./unique-schedule-names";

export type { CrossFieldRule, Finding, HclValidation, RuleContext, TaskLoader } from "./rule";
export { hclValidations } from "./rule";

/** Every rule over several fields, in the order their problems are reported. */
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  tagsFit,
  accessNamesUnique,
  crossAccountNeedsBucketPolicy,
  requireKmsNeedsKey,
  producerPrefixesApart,
  uniqueScheduleNames,
  taskOrTarget,
  scheduleTaskKnown,
  taskFieldsWithTask,
  payloadFitsTask,
  ownTaskDeclarations,
  ownTaskEntries,
  targetNamesOneService,
  targetParametersFit,
  fifoQueueNeedsGroup,
  targetInputFits,
  scheduleEndsAfterStart,
];
