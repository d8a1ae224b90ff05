import { defineTask } from "scheduled-task-processing/task";
import { z } from "zod";

/**
 * An own task: books ledger entries. Each file waiting under ledger/in/ holds one JSON entry a
 * line ({"account":"A-1","amount":12.5,"currency":"EUR"}); the task writes each file's
 * balances by account to ledger/out/, named after the file and its identity, so a retry writes
 * the same object again. A file with a line that is no entry in the schedule's currency fails;
 * after three runs that gave up on it, the runtime sets it aside under quarantine/ledger/.
 */
const payloadSchema = z.strictObject({
  /** The currency the ledger is kept in: an entry in another is refused. */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as EUR")
    .default("EUR"),
});

const entrySchema = z.strictObject({
  account: z.string().min(1),
  amount: z.number().finite(),
  currency: z.string(),
});

export const INPUT_PREFIX = "ledger/in/";
export const OUTPUT_PREFIX = "ledger/out/";

export default defineTask({
  name: "ledger",
  payload: payloadSchema,
  async run(ctx, { currency }) {
    let entries = 0;
    const accounts = new Set<string>();
    const outcome = await ctx.forEachSource(INPUT_PREFIX, async (source) => {
      const balances = new Map<string, number>();
      let booked = 0;
      let line = 0;
      for await (const text of source.lines()) {
        line += 1;
        if (text.trim() === "") continue;
        const parsed = entrySchema.safeParse(parseJson(text));
        if (!parsed.success) throw new Error(`line ${line} is not a ledger entry`);
        if (parsed.data.currency !== currency) throw new Error(`line ${line} is in ${parsed.data.currency}, the ledger in ${currency}`);
        // In cents, so sums do not drift.
        balances.set(parsed.data.account, (balances.get(parsed.data.account) ?? 0) + Math.round(parsed.data.amount * 100));
        booked += 1;
      }
      const name = source.key.slice(INPUT_PREFIX.length).replace(/\.[^./]*$/, "");
      const byAccount = [...balances].sort(([a], [b]) => (a < b ? -1 : 1)).map(([account, cents]) => [account, cents / 100]);
      await ctx.writeOutput(
        `${OUTPUT_PREFIX}${name}.${source.id.slice(0, 12)}.json`,
        `${JSON.stringify({ source: source.key, currency, balances: Object.fromEntries(byAccount) })}\n`,
      );
      // Counted once the file is booked: a file that fails counts nothing.
      entries += booked;
      for (const account of balances.keys()) accounts.add(account);
    });
    ctx.log.info("ledger booked", { entries, accounts: accounts.size, sources: outcome.counts.sources });
    ctx.metrics.addMetric("LedgerEntries", "Count", entries);
    return { entries, accounts: accounts.size };
  },
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
