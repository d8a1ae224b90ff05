export interface PoolLimits<T> {
  /** Items in flight at most. */
  readonly count: number;
  /** What an item costs while in flight (memory, say), and how much may be in flight at once. */
  readonly weight?: (item: T) => number;
  readonly budget?: number;
}

/**
 * Runs `work` on every item with at most `limits.count` in flight (and at most `limits.budget`
 * of their weight; an item heavier than the budget runs alone), and settles each. Unlike
 * Promise.all it never abandons work in flight when one item fails: every failure is returned
 * with its item, so a caller can report them all and keep the results of the rest. Once
 * `shouldStart` says no, the remaining items are returned unstarted.
 */
export async function settleWithLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limits: number | PoolLimits<T>,
  work: (item: T) => Promise<R>,
  shouldStart: () => boolean = () => true,
): Promise<{ results: Array<{ item: T; value: R }>; failures: Array<{ item: T; error: unknown }>; notStarted: T[] }> {
  const { count, weight, budget } = typeof limits === "number" ? { count: limits, weight: undefined, budget: undefined } : limits;
  const results: Array<{ item: T; value: R }> = [];
  const failures: Array<{ item: T; error: unknown }> = [];
  const notStarted: T[] = [];
  const running = new Set<Promise<void>>();
  let inFlight = 0;
  const roomFor = (w: number) =>
    running.size < Math.max(1, count) && (running.size === 0 || budget === undefined || inFlight + w <= budget);
  for await (const item of items) {
    if (notStarted.length > 0 || !shouldStart()) {
      notStarted.push(item);
      continue;
    }
    const w = weight?.(item) ?? 0;
    while (!roomFor(w)) await Promise.race(running);
    if (!shouldStart()) {
      notStarted.push(item);
      continue;
    }
    inFlight += w;
    const task = work(item).then(
      (value) => void results.push({ item, value }),
      (error) => void failures.push({ item, error }),
    );
    const tracked = task.finally(() => {
      inFlight -= w;
      running.delete(tracked);
    });
    running.add(tracked);
  }
  await Promise.all(running);
  return { results, failures, notStarted };
}
