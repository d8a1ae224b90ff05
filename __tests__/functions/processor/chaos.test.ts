import fc from "fast-check";
import { campaignArbitrary, expectedInvariants, invariants, runSequence } from "../../support/chaos-campaign";
import { type Emulator, startEmulator } from "../../support/emulator";

/**
 * The chaos campaign (see chaos-campaign.ts): a few dozen seeded sequences here, more with
 * `npm run chaos` (CHAOS_RUNS, and CHAOS_SEED to replay a failing seed, which fast-check prints).
 */
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});

const RUNS = Number(process.env.CHAOS_RUNS ?? 24);
const SEED = process.env.CHAOS_SEED === undefined ? undefined : Number(process.env.CHAOS_SEED);

it(`keeps every promise over ${RUNS} random sequences of uploads, runs, replays, overlaps and faults`, async () => {
  // The bundled processor logs a JSON line per event; the campaign reads the bucket, not the logs.
  const silence = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  let sequence = 0;
  try {
    await fc.assert(
      fc.asyncProperty(campaignArbitrary, async (campaign) => {
        const outcome = await runSequence(emulator, campaign, (sequence += 1));
        expect(invariants(outcome)).toEqual(expectedInvariants(outcome));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, verbose: 1 },
    );
  } finally {
    silence.mockRestore();
  }
}, 600_000);
