import { TAGS } from "../../../core/config-rules";
import { type CrossFieldRule, isRecord } from "./rule";

/**
 * AWS takes at most TAGS.maxPerResource tags a resource, and the product adds its own: the
 * stacks their default tags, every face the schedule group's Name. Refused here, not at apply.
 */
export const tagsFit: CrossFieldRule = {
  summary: `At most ${TAGS.maxPerResource} tags fit on a resource, counting those the product adds.`,
  check(config, { addedTagKeys }) {
    if (!isRecord(config.tags)) return [];
    const own = Object.keys(config.tags);
    if (new Set([...own, ...addedTagKeys]).size <= TAGS.maxPerResource) return [];
    return [
      [
        "tags",
        `at most ${TAGS.maxPerResource} tags fit on a resource and the product adds ${addedTagKeys.length} (${addedTagKeys.join(", ")}): ` +
          `${TAGS.maxPerResource - addedTagKeys.length} of your own at most, got ${own.length}`,
      ],
    ];
  },
  hcl: {
    variable: "tags",
    // The module adds only the schedule group's Name (TAGS.resourceKeys): your provider's default_tags count too.
    condition: `length(merge(var.tags, { Name = "" })) <= ${TAGS.maxPerResource}`,
    message: `format(
      "tags: at most %d tags fit on a resource and the module adds 1 (Name): %d of your own at most, got %d.",
      ${TAGS.maxPerResource}, ${TAGS.maxPerResource - 1}, length(var.tags)
    )`,
  },
};
