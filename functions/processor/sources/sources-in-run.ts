import { describeError } from "../../commons/logger";
import { settleWithLimit } from "../../commons/pool";
import type { FailedSource, SourceSummary } from "../protocol/run-record";
import { removeDeleteMarker } from "./archive-source";
import { handleSource, type SourceContext } from "./handle-source";
import type { DeleteMarker } from "./list-sources";
import { failureReason, type NotedFailure, noteSourceFailure } from "./set-aside";
import type { SourceRef } from "./source-identity";
import { memoryCost, type SourceWork } from "./source-work";

export interface SourcesRunContext extends SourceContext {
  /** Sources handled at once within one invocation. */
  readonly concurrency: number;
  /** Bytes of memory the sources in flight may hold together. */
  readonly memoryBudgetBytes: number;
  /** Whether there is time left to start another source. */
  readonly mayStart: () => boolean;
  /** How long a failed source waits before its one more try in the same invocation. @default 500 ms */
  readonly sourceRetryPauseMs?: number;
}

/** A failed source has one more chance in the same invocation, after the others and a short pause. */
export const SOURCE_RETRY_PAUSE_MS = 500;

/** What one invocation did with the sources it found. */
export interface HandledSources {
  /** Counted in this run. */
  readonly done: SourceSummary[];
  /** Failed here (each counted as a failed attempt); they wait for the next run. */
  readonly failed: FailedSource[];
  /** Not started before the invocation's time ran out. */
  readonly notStarted: SourceRef[];
}

/**
 * Each source through handleSource, within the invocation's limits (concurrency, memory,
 * time); those that fail are tried once more after the others. A source that failed both
 * times is counted as a failed attempt in its claim (and set aside at the last one); it never
 * stops the other sources' run from being recorded and announced.
 */
export async function handleSourcesInRun(
  context: SourcesRunContext,
  runId: string,
  sources: readonly SourceRef[],
  work: SourceWork,
): Promise<HandledSources> {
  const limits = { count: context.concurrency, weight: memoryCost, budget: context.memoryBudgetBytes };
  const handle = (source: SourceRef) => handleSource(context, runId, source, work);
  let handled = await settleWithLimit(sources, limits, handle, context.mayStart);
  if (handled.failures.length > 0 && context.mayStart()) {
    context.log.warn("some sources failed; trying them once more", { failed: handled.failures.length });
    await new Promise((resolve) => setTimeout(resolve, context.sourceRetryPauseMs ?? SOURCE_RETRY_PAUSE_MS));
    const again = await settleWithLimit(
      handled.failures.map(({ item }) => item),
      limits,
      handle,
      context.mayStart,
    );
    handled = {
      results: [...handled.results, ...again.results],
      failures: again.failures,
      notStarted: [...handled.notStarted, ...again.notStarted],
    };
  }
  const done: SourceSummary[] = handled.results.flatMap(({ value }) => (value.kind === "done" ? [value.result] : []));
  const failed: FailedSource[] = [];
  for (const { item, error } of handled.failures) {
    const noted = await noteSourceFailure(context, runId, item, error).catch((noteError): NotedFailure => {
      context.log.warn("could not count the source's failed attempt", { source: item.key, error: describeError(noteError) });
      return {};
    });
    if (noted.handled?.kind === "done") done.push(noted.handled.result);
    else if (!noted.handled) failed.push(failedSource(item, error, noted.attempts));
  }
  return { done, failed, notStarted: handled.notStarted };
}

function failedSource(source: SourceRef, error: unknown, attempts: number | undefined): FailedSource {
  return {
    source: source.key,
    etag: source.etag,
    ...(source.versionId ? { versionId: source.versionId } : {}),
    error: failureReason(error),
    ...(attempts !== undefined ? { attempts } : {}),
  };
}

/** Delete markers among the sources hide nothing waiting (versions are listed whatever is current): removed for good. */
export async function removeDeleteMarkers(context: SourcesRunContext, markers: readonly DeleteMarker[]): Promise<void> {
  const removed = await settleWithLimit(markers, context.concurrency, (marker) => removeDeleteMarker(context, marker));
  if (removed.failures.length > 0)
    context.log.warn("could not remove some delete markers from incoming/; the next run tries again", { failed: removed.failures.length });
}
