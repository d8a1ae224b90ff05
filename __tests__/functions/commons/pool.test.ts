import { settleWithLimit } from "../../../functions/commons/pool";

const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("settleWithLimit", () => {
  it("keeps at most `count` in flight and settles every item, failures included", async () => {
    let running = 0;
    let most = 0;
    const outcome = await settleWithLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      if (n % 3 === 0) throw new Error(`bad ${n}`);
      return n * 10;
    });
    expect(most).toBe(3);
    expect(outcome.results.map((r) => r.value).sort((a, b) => a - b)).toEqual([10, 20, 40, 50, 70]);
    expect(outcome.failures.map((f) => f.item).sort()).toEqual([3, 6]);
    expect(outcome.notStarted).toEqual([]);
  });

  it("keeps the weight in flight within the budget, running an overweight item alone", async () => {
    let inFlight = 0;
    let heaviest = 0;
    const sizes = [4, 4, 4, 10, 1, 1, 1, 1];
    await settleWithLimit(sizes, { count: 8, weight: (n) => n, budget: 8 }, async (n) => {
      inFlight += n;
      heaviest = Math.max(heaviest, inFlight);
      await tick();
      inFlight -= n;
    });
    expect(heaviest).toBe(10); // the 10 ran alone; everything else stayed within 8
  });

  it("stops starting once told to, and hands back what it did not start", async () => {
    let started = 0;
    const outcome = await settleWithLimit(
      [1, 2, 3, 4, 5],
      1,
      async () => void started++,
      () => started < 2,
    );
    expect(outcome.results).toHaveLength(2);
    expect(outcome.notStarted).toEqual([3, 4, 5]);
  });
});
