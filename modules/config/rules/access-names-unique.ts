import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** A grant's name names its managed policy and statement ids: one name, one grant. */
export const accessNamesUnique: CrossFieldRule = {
  summary: "Access names are unique among producers and readers.",
  check(config) {
    const access = isRecord(config.access) ? config.access : {};
    const seen = new Map<string, string>();
    return (["producers", "readers"] as const).flatMap((list) =>
      itemsOf(access[list]).flatMap((item, index): Array<[string, string]> => {
        if (!isRecord(item) || typeof item.name !== "string") return [];
        const at = `access.${list}[${index}]`;
        const first = seen.get(item.name);
        if (!first) {
          seen.set(item.name, at);
          return [];
        }
        return [[`${at}.name`, `duplicates ${first}.name ${JSON.stringify(item.name)}; names must be unique in access`]];
      }),
    );
  },
  hcl: {
    variable: "access",
    condition: `length(distinct(concat(var.access.producers[*].name, var.access.readers[*].name))) == (
      length(var.access.producers) + length(var.access.readers)
    )`,
    message: `format(
      "access names must be unique among producers and readers; repeated: %s.",
      join(", ", distinct([
        for name in concat(var.access.producers[*].name, var.access.readers[*].name) : name
        if length([for other in concat(var.access.producers[*].name, var.access.readers[*].name) : other if other == name]) > 1
      ]))
    )`,
  },
};
