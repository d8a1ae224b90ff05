import { run } from "./lib/processes";
import { repeat } from "./lib/stats";

/** Wall time of the whole `npm test` (type-check and jest), excluding `npm ci`. */
export async function benchTestSuite(runs: number) {
  return {
    npmTestMs: await repeat(runs, async () => {
      const result = await run("npm", ["test"]);
      if (result.code !== 0) throw new Error(`npm test failed:\n${result.stdout.slice(-3000)}`);
      return result.wallMs;
    }),
  };
}
