/**
 * The rules of `access` that span fields, on the raw input (so they run even where shapes
 * fail): names unique among producers and readers, a reader's prefixes unique, producers'
 * prefixes neither shared nor nested, requireKms only with the bucket's key, and principals in
 * other accounts only where the stack manages the bucket policy.
 */
export function accessProblems(raw: Record<string, unknown>): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const access = record(raw.access);
  if (!access) return found;
  const account = typeof raw.account === "string" ? raw.account : undefined;
  const bucketPolicyManaged = record(record(raw.adopt)?.bucket)?.manage !== false;
  const hasKey = typeof record(raw.storage)?.kmsKeyArn === "string";
  const seen = new Map<string, string>();
  const prefixes: Array<{ at: string; prefix: string }> = [];
  for (const list of ["producers", "readers"] as const) {
    const entries = Array.isArray(access[list]) ? access[list] : [];
    entries.forEach((entry, index) => {
      const item = record(entry);
      if (!item) return;
      const at = `access.${list}[${index}]`;
      if (typeof item.name === "string") {
        const first = seen.get(item.name);
        if (first) found.push([`${at}.name`, `duplicates ${first}.name ${JSON.stringify(item.name)}; names must be unique in access`]);
        else seen.set(item.name, at);
      }
      const principals = Array.isArray(item.principals) ? item.principals.filter((p): p is string => typeof p === "string") : [];
      principals.forEach((principal, i) => {
        const owner = principal.split(":")[4];
        if (account && owner && owner !== account && !bucketPolicyManaged)
          found.push([
            `${at}.principals[${i}]`,
            "is in another account, which only the bucket policy can let in; adopt.bucket.manage is false, so the stack does not manage it",
          ]);
      });
      if (list === "producers") {
        if (typeof item.prefix === "string") prefixes.push({ at: `${at}.prefix`, prefix: item.prefix });
        if (item.requireKms === true && !hasKey)
          found.push([`${at}.requireKms`, "needs storage.kmsKeyArn: uploads can only be required to use the bucket's key if it has one"]);
      } else if (Array.isArray(item.prefixes)) {
        const given: unknown[] = item.prefixes;
        given.forEach((prefix, i) => {
          if (given.indexOf(prefix) !== i) found.push([`${at}.prefixes[${i}]`, `repeats ${JSON.stringify(prefix)}`]);
        });
      }
    });
  }
  // Two producers on one folder, or one inside another's, could overwrite each other's uploads.
  prefixes.forEach((a, i) => {
    for (const b of prefixes.slice(0, i)) {
      if (a.prefix === b.prefix) found.push([a.at, `is also ${b.at} (${JSON.stringify(b.prefix)}); producers never share a prefix`]);
      else if (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))
        found.push([a.at, `${JSON.stringify(a.prefix)} and ${b.at} ${JSON.stringify(b.prefix)} nest; producers' prefixes never nest`]);
    }
  });
  return found;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
