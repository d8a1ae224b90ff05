/**
 * Runs `work` on every item with at most `limit` in flight, and settles each. Unlike
 * Promise.all it never abandons work in flight when one item fails: every failure is returned
 * with its item, so a caller can report them all and keep the results of the rest.
 */
export async function settleWithLimit<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<R>,
  shouldStart: () => boolean = () => true,
): Promise<{ results: Array<{ item: T; value: R }>; failures: Array<{ item: T; error: unknown }>; notStarted: T[] }> {
  const results: Array<{ item: T; value: R }> = [];
  const failures: Array<{ item: T; error: unknown }> = [];
  const notStarted: T[] = [];
  const running = new Set<Promise<void>>();
  for await (const item of items) {
    if (notStarted.length > 0 || !shouldStart()) {
      notStarted.push(item);
      continue;
    }
    const task = work(item).then(
      (value) => void results.push({ item, value }),
      (error) => void failures.push({ item, error }),
    );
    const tracked = task.finally(() => running.delete(tracked));
    running.add(tracked);
    if (running.size >= Math.max(1, limit)) await Promise.race(running);
  }
  await Promise.all(running);
  return { results, failures, notStarted };
}
