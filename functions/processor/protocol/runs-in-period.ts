import { currentRecord, type RunRecord } from "./run-record";
import { taskRunsPrefix } from "./run-ref";
import { type ObjectStore, readJson } from "./store";

/**
 * The summaries of `task`'s runs scheduled in (from, to], oldest first. One listing finds the
 * scheduled times (starting at `from`, not at the beginning of history), one more per time
 * finds its summaries, without walking the runs' own per-source records.
 */
export async function runRecordsInPeriod(store: ObjectStore, task: string, from: Date, to: Date): Promise<RunRecord[]> {
  const prefix = taskRunsPrefix(task);
  const records: RunRecord[] = [];
  for await (const folder of store.listFolders(prefix, `${prefix}${from.toISOString().slice(0, 19)}`)) {
    const instant = Date.parse(folder.slice(prefix.length, -1));
    if (Number.isNaN(instant) || instant <= from.getTime()) continue;
    if (instant > to.getTime()) break;
    for await (const file of store.list(folder, { delimiter: "/" })) {
      if (!file.key.endsWith(".json")) continue;
      const record = await readJson<RunRecord>(store, file.key, false);
      if (record) records.push(currentRecord(record.value));
    }
  }
  return records;
}
