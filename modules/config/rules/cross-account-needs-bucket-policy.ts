import { type CrossFieldRule, isRecord, itemsOf } from "./rule";

/** Principals of other accounts come in through the bucket policy: the stack must manage it. */
export const crossAccountNeedsBucketPolicy: CrossFieldRule = {
  summary: "Principals in other accounts only where the stack manages the bucket policy.",
  check(config) {
    const access = isRecord(config.access) ? config.access : {};
    const account = typeof config.account === "string" ? config.account : undefined;
    const adopted = isRecord(config.adopt) && isRecord(config.adopt.bucket) ? config.adopt.bucket : undefined;
    if (!account || !adopted || adopted.manage !== false) return [];
    return (["producers", "readers"] as const).flatMap((list) =>
      itemsOf(access[list]).flatMap((item, index) =>
        (isRecord(item) ? itemsOf(item.principals) : []).flatMap((principal, i): Array<[string, string]> => {
          const owner = typeof principal === "string" ? principal.split(":")[4] : undefined;
          return owner && owner !== account
            ? [
                [
                  `access.${list}[${index}].principals[${i}]`,
                  "is in another account, which only the bucket policy can let in; " +
                    "adopt.bucket.manage is false, so the stack does not manage it",
                ],
              ]
            : [];
        }),
      ),
    );
  },
  hcl: {
    variable: "access",
    condition: `var.adopt.existing_bucket_name == null || alltrue([
      for a in flatten(concat(var.access.producers[*].principals, var.access.readers[*].principals)) :
      var.account_id == null ? false : try(split(":", a)[4] == var.account_id, false)
    ])`,
    message: `format(
      "access principals in another account need the bucket policy, which the module does not manage for %s (%s); %s",
      "adopt.existing_bucket_name", jsonencode(var.adopt.existing_bucket_name),
      "set account_id, and grant those principals through the bucket's own policy instead"
    )`,
  },
};
