import { join } from "node:path";
import { rehearseApply } from "../../scripts/lib/apply-rehearsal";
import { findTerraform } from "../../scripts/lib/offline-terraform";
import { ENVIRONMENTS } from "../support/synth";

const terraform = findTerraform();
if (!terraform) console.warn("terraform is not on PATH: skipping the apply rehearsals of the stacks");
const describeWithTerraform = terraform ? describe : describe.skip;

/**
 * Every environment's stack applied with `terraform test` and a mock AWS provider: what
 * validate and plan cannot see (values known only after apply, the references between
 * resources) must come out in the stack's outputs as its users read them.
 */
describeWithTerraform("apply rehearsal", () => {
  it.concurrent.each(ENVIRONMENTS.map((c) => [c.name, c] as const))("%s applies offline, and its outputs are what consumers read", async (_name, config) => {
    const output = await rehearseApply(join(process.env.SYNTH_OUTDIR!, "stacks", config.name), config);
    expect(output).toContain("Success! 1 passed, 0 failed.");
  });
});
