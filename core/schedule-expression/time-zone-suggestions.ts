import { IANA_TIME_ZONES } from "./iana-time-zones";

const MAX_SUGGESTIONS = 3;

/** Lower case, spaces as underscores: "new york" and "New_York" are one spelling apart from nothing. */
const normalized = (name: string) => name.trim().toLowerCase().replace(/\s+/g, "_");

/** Edits (insert, delete, replace, swap two neighbours) from a to b: the optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The IANA names closest to a misspelt zone, at most three: those fewest edits away, counting
 * edits to the whole name ("Europe/Londn", "america/new_york") or to its last part ("London",
 * "Sao Paulo"), case and spaces aside. None when nothing is near (at most a quarter of the
 * letters wrong, or one).
 */
export function closestTimeZones(name: string): string[] {
  const wanted = normalized(name);
  if (wanted.length === 0) return [];
  const allowed = Math.max(1, Math.floor(wanted.length / 4));
  const scored: Array<{ zone: string; distance: number }> = [];
  for (const zone of IANA_TIME_ZONES) {
    const candidate = normalized(zone);
    const city = candidate.slice(candidate.lastIndexOf("/") + 1);
    // Cheap bound first: lengths that differ by more than the allowance cannot be close.
    const whole = Math.abs(candidate.length - wanted.length) <= allowed ? editDistance(wanted, candidate) : Infinity;
    const last = !wanted.includes("/") && Math.abs(city.length - wanted.length) <= allowed ? editDistance(wanted, city) : Infinity;
    const distance = Math.min(whole, last);
    if (distance <= allowed) scored.push({ zone, distance });
  }
  const best = Math.min(...scored.map((s) => s.distance));
  // Area/City names (the database's own) before legacy links such as "GB".
  return scored
    .filter((s) => s.distance === best)
    .sort((a, b) => Number(!a.zone.includes("/")) - Number(!b.zone.includes("/")) || a.zone.localeCompare(b.zone))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ zone }) => zone);
}

/** `; did you mean Europe/London?`, or nothing when no name is near. */
export function timeZoneSuggestion(name: string): string {
  const names = closestTimeZones(name);
  if (names.length === 0) return "";
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
  return `; did you mean ${listed}?`;
}
