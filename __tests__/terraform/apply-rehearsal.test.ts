import { join } from "node:path";
import { rehearseApplies } from "../../scripts/lib/apply-rehearsal";
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
  let output = "";
  beforeAll(async () => {
    output = await rehearseApplies(
      ENVIRONMENTS.map((config) => ({ stackDirectory: join(process.env.SYNTH_OUTDIR!, "stacks", config.name), config })),
    );
  });

  it.each(ENVIRONMENTS.map((c) => [c.name]))("%s applies offline, and its outputs are what consumers read", (name) => {
    expect(output).toMatch(new RegExp(`run "${name}"\\.\\.\\. pass`));
  });

  it("applied every stack, and each one's run passed", () => {
    expect(output).toContain(`Success! ${ENVIRONMENTS.length} passed, 0 failed.`);
  });
});
