// IANA names are case-sensitive for EventBridge Scheduler, while Intl accepts any casing and
// also bare UTC offsets, so both the shape and Intl's acceptance are checked.
const IANA_NAME = /^(?:[A-Z][A-Za-z0-9_+-]*)(?:\/[A-Z0-9][A-Za-z0-9_+-]*)*$/;

const known = new Map<string, boolean>();

/** True when `name` is a time zone of the IANA database, spelled as the database spells it. */
export function isIanaTimeZone(name: string): boolean {
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  let valid = IANA_NAME.test(name);
  if (valid) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: name });
    } catch {
      valid = false;
    }
  }
  known.set(name, valid);
  return valid;
}
