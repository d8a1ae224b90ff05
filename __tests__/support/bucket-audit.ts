import { createHash } from "node:crypto";
import type { Emulator } from "./emulator";
import { getText, keysUnder } from "./emulator";

/** Every version of every source put into incoming/, with its body. */
export type SourcesIn = ReadonlyArray<readonly [key: string, body: string]>;

export interface Audit {
  /** (source, line) pairs written more than once across processed/ and quarantine/. */
  readonly duplicated: string[];
  /** (source, line) pairs that came in and went nowhere. */
  readonly missing: string[];
  /** processed/ records whose text differs from the line that came in. */
  readonly altered: string[];
  /** Sources (by content) with other than one archive object (a source set aside is kept whole under quarantine/ instead). */
  readonly archives: Record<string, number>;
  /** Sources (by key and content) counted in more than one run record, or in none. */
  readonly countedInRuns: Record<string, number>;
  /** Keys still in incoming/. */
  readonly leftInIncoming: string[];
  /** Lines in per run records' totals, summed over every data_processing run record. */
  readonly linesInRunRecords: number;
  readonly linesIn: number;
}

/** `quarantine/<day>/<name>.<identity>.set-aside<extension>`: a whole source, set aside. */
const SET_ASIDE = /^quarantine\/.*\.[0-9a-f]{12}\.set-aside[^/]*$/;

const lineTexts = (body: string) => {
  const lines = body.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => l.replace(/\r$/, ""));
};

/**
 * Reads the whole bucket back and checks the processor's promise, independently of its own
 * records: every line of every source is in processed/ or quarantine/ exactly once, valid
 * records unchanged, one archive per source, each source counted in exactly one run record.
 */
export async function auditBucket(emulator: Emulator, bucket: string, sources: SourcesIn): Promise<Audit> {
  const seen = new Map<string, number>();
  const altered: string[] = [];
  const versionsByKey = new Map<string, string[][]>();
  for (const [key, body] of sources) versionsByKey.set(key, [...(versionsByKey.get(key) ?? []), lineTexts(body)]);

  const archives: Record<string, number> = {};
  for (const [key, body] of sources) archives[`${key}@${digest(body)}`] = 0;
  const keep = (body: string, key: string) => {
    const match = sources.find(([, b]) => b === body);
    const id = match ? `${match[0]}@${digest(body)}` : `unknown:${key}`;
    archives[id] = (archives[id] ?? 0) + 1;
    return match;
  };
  for (const prefix of ["processed/", "quarantine/"]) {
    for (const key of await keysUnder(emulator, bucket, prefix)) {
      if (SET_ASIDE.test(key)) {
        // A source set aside whole: each of its lines is out once, here.
        const body = await getText(emulator, bucket, key);
        const source = keep(body, key);
        lineTexts(body).forEach((text, i) => {
          const id = `${source?.[0] ?? key}#${i + 1}#set-aside:${text}`;
          seen.set(id, (seen.get(id) ?? 0) + 1);
        });
        continue;
      }
      for (const raw of lineTexts(await getText(emulator, bucket, key))) {
        const row = JSON.parse(raw);
        const id = `${row.source}#${row.line}#${prefix === "processed/" ? extractRecordText(raw) : row.text}`;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        if (prefix === "processed/") {
          const text = extractRecordText(raw);
          const versions = versionsByKey.get(row.source) ?? [];
          const matches = versions.some((lines) => asRow(lines[row.line - 1]) === text);
          if (!matches) altered.push(`${row.source}#${row.line}: ${text}`);
        }
      }
    }
  }
  const wanted: string[] = [];
  for (const [key, versions] of versionsByKey) {
    for (const lines of versions) for (let i = 0; i < lines.length; i++) wanted.push(`${key}#${i + 1}`);
  }
  const seenPlaces = new Map<string, number>();
  for (const [id, count] of seen) {
    const place = id.split("#").slice(0, 2).join("#");
    seenPlaces.set(place, (seenPlaces.get(place) ?? 0) + count);
  }
  const wantedCount = new Map<string, number>();
  for (const place of wanted) wantedCount.set(place, (wantedCount.get(place) ?? 0) + 1);
  const duplicated = [...seenPlaces].filter(([place, count]) => count > (wantedCount.get(place) ?? 0)).map(([place]) => place);
  const missing = [...wantedCount].filter(([place, count]) => (seenPlaces.get(place) ?? 0) < count).map(([place]) => place);

  for (const key of await keysUnder(emulator, bucket, "archive/")) keep(await getText(emulator, bucket, key), key);

  const countedInRuns: Record<string, number> = {};
  for (const [key, body] of sources) countedInRuns[`${key}@${digest(body)}`] = 0;
  let linesInRunRecords = 0;
  for (const key of await keysUnder(emulator, bucket, "runs/data_processing/")) {
    if (!/^runs\/data_processing\/[^/]+\/[^/]+\.json$/.test(key)) continue;
    const record = JSON.parse(await getText(emulator, bucket, key));
    linesInRunRecords += record.totals?.lines ?? 0;
    for (const source of record.sources ?? []) {
      // The emulator's ETag of a single-part upload is the MD5 of its bytes: it names the version.
      // (A multipart upload's ETag is not; a key put only once needs no ETag to name it.)
      const versions = sources.filter(([key]) => key === source.source);
      const match =
        versions.length === 1
          ? versions[0]
          : versions.find(([, body]) => `"${createHash("md5").update(body).digest("hex")}"` === source.etag);
      const id = match ? `${match[0]}@${digest(match[1])}` : `${source.source}@?${source.etag}`;
      countedInRuns[id] = (countedInRuns[id] ?? 0) + 1;
    }
  }
  return {
    duplicated,
    missing,
    altered,
    archives,
    countedInRuns,
    leftInIncoming: await keysUnder(emulator, bucket, "incoming/"),
    linesInRunRecords,
    linesIn: wanted.length,
  };
}

/** The audit of a bucket where everything went right. */
export function cleanAudit(sources: SourcesIn): Audit {
  const ones = Object.fromEntries(sources.map(([key, body]) => [`${key}@${digest(body)}`, 1]));
  const linesIn = sources.reduce((sum, [, body]) => sum + lineTexts(body).length, 0);
  return {
    duplicated: [],
    missing: [],
    altered: [],
    archives: ones,
    countedInRuns: ones,
    leftInIncoming: [],
    linesInRunRecords: linesIn,
    linesIn,
  };
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/**
 * A valid line as its processed row holds it: without a byte-order mark or surrounding
 * whitespace, and with tabs and line breaks between tokens made spaces (nothing else changes).
 */
function asRow(line: string | undefined): string | undefined {
  return line
    ?.replace(/^\uFEFF/, "")
    .trim()
    .replace(/[\t\r\n]/g, " ");
}

/** The record's text as the processed/ line holds it: everything after `"record":`, less the closing brace. */
function extractRecordText(raw: string): string {
  const marker = raw.indexOf(',"record":');
  return raw.slice(marker + ',"record":'.length, -1);
}
