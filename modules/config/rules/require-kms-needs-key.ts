import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** Uploads can only be required to use the bucket's key if the bucket has one. */
export const requireKmsNeedsKey: CrossFieldRule = {
  summary: "A producer's requireKms needs storage.kmsKeyArn.",
  check(config) {
    const access = isRecord(config.access) ? config.access : {};
    const hasKey = isRecord(config.storage) && typeof config.storage.kmsKeyArn === "string";
    return itemsOf(access.producers).flatMap(
      (item, index): Array<[string, string]> =>
        isRecord(item) && item.requireKms === true && !hasKey
          ? [
              [
                `access.producers[${index}].requireKms`,
                "needs storage.kmsKeyArn: uploads can only be required to use the bucket's key if it has one",
              ],
            ]
          : [],
    );
  },
  hcl: {
    variable: "access",
    condition: "var.storage.kms_key_arn != null || alltrue([for p in var.access.producers : !p.require_kms])",
    message: `join("; ", [
      for i, p in var.access.producers : format(
        "access.producers[%d].require_kms needs storage.kms_key_arn: uploads can only be required to use the bucket's key if it has one", i
      ) if p.require_kms && var.storage.kms_key_arn == null
    ])`,
  },
};
