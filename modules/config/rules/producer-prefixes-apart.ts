import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** Two producers on one folder, or one inside another's, could overwrite each other's uploads. */
export const producerPrefixesApart: CrossFieldRule = {
  summary: "Producers' prefixes are neither shared nor nested.",
  check(config) {
    const access = isRecord(config.access) ? config.access : {};
    const prefixes = itemsOf(access.producers).flatMap((item, index) =>
      isRecord(item) && typeof item.prefix === "string" ? [{ at: `access.producers[${index}].prefix`, prefix: item.prefix }] : [],
    );
    return prefixes.flatMap((a, i) =>
      prefixes.slice(0, i).flatMap((b): Array<[string, string]> => {
        if (a.prefix === b.prefix) return [[a.at, `is also ${b.at} (${JSON.stringify(b.prefix)}); producers never share a prefix`]];
        if (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))
          return [[a.at, `${JSON.stringify(a.prefix)} and ${b.at} ${JSON.stringify(b.prefix)} nest; producers' prefixes never nest`]];
        return [];
      }),
    );
  },
  hcl: {
    variable: "access",
    condition: `alltrue(flatten([
      for i, a in var.access.producers : [
        for j, b in var.access.producers : j >= i || !(startswith(a.prefix, b.prefix) || startswith(b.prefix, a.prefix))
      ]
    ]))`,
    message: `join("; ", flatten([
      for i, a in var.access.producers : [
        for j, b in var.access.producers : format(
          "access.producers[%d].prefix %q and access.producers[%d].prefix %q share or nest; producers' prefixes never do",
          i, a.prefix, j, b.prefix
        ) if j < i && (startswith(a.prefix, b.prefix) || startswith(b.prefix, a.prefix))
      ]
    ]))`,
  },
};
