export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Runs `measure` `times` times, one after another, and summarises what it returns. */
export async function repeat(times: number, measure: () => Promise<number>): Promise<Summary> {
  const values: number[] = [];
  for (let i = 0; i < times; i++) values.push(await measure());
  return summarise(values);
}
