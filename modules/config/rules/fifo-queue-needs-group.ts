import { isFifoQueue } from "../../../core/schedule-targets";
import { isReference } from "../fields/field";
import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

const FIFO_NEEDS_GROUP = "is required for a FIFO queue (.fifo)";
const STANDARD_TAKES_NO_GROUP = "is only for a FIFO queue (a name ending in .fifo), not a standard queue";

/** SendMessage to a FIFO queue needs a message group, and a standard queue takes none. */
export const fifoQueueNeedsGroup: CrossFieldRule = {
  summary: "An sqs target's messageGroupId is given exactly when its queue is FIFO (.fifo).",
  check(config) {
    return itemsOf(config.schedules).flatMap((schedule, index): Array<[string, string]> => {
      const target = isRecord(schedule) && isRecord(schedule.target) ? schedule.target : undefined;
      // A reference is known only at plan: whether it names a FIFO queue is not known here.
      if (typeof target?.sqs !== "string" || isReference(target.sqs)) return [];
      const fifo = isFifoQueue(target.sqs);
      if (fifo === (target.messageGroupId !== undefined)) return [];
      return [[`schedules[${index}].target.messageGroupId`, fifo ? FIFO_NEEDS_GROUP : STANDARD_TAKES_NO_GROUP]];
    });
  },
  hcl: {
    variable: "schedules",
    condition: `alltrue([
      for s in var.schedules : try(s.target.sqs, null) == null ? true
      : endswith(s.target.sqs, ".fifo") == (s.target.message_group_id != null)
    ])`,
    message: `join("; ", [
      for i, s in var.schedules : format(
        endswith(s.target.sqs, ".fifo") ? local.fifo_needs_group : local.standard_takes_no_group, i, s.name
      ) if try(s.target.sqs, null) == null ? false : endswith(s.target.sqs, ".fifo") != (s.target.message_group_id != null)
    ])`,
    locals: {
      fifo_needs_group: JSON.stringify(`schedules[%d].target.message_group_id ${FIFO_NEEDS_GROUP} (schedule %q)`),
      standard_takes_no_group: JSON.stringify(`schedules[%d].target.message_group_id ${STANDARD_TAKES_NO_GROUP} (schedule %q)`),
    },
  },
};
