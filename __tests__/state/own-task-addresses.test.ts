import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONTRACT_DIRECTORY } from "../../scripts/lib/address-contract";
import { resources, synthEnvironment, withLedgerTask } from "../support/synth";

/**
 * An own task's resources are instances of one `for_each` resource a kind, keyed by the task's
 * name: `aws_lambda_function.task["ledger"]`. Their state is the team's, as the processor's is:
 * state-contract/own-task.json records every address a stack with the ledger task (and a
 * schedule of it, and one on a queue elsewhere) has, with its instance key, and a change that
 * moves one (another key, another resource name) fails here.
 */
describe("state of an own task", () => {
  const stack = synthEnvironment(withLedgerTask());
  const contract = JSON.parse(readFileSync(join(CONTRACT_DIRECTORY, "own-task.json"), "utf8")) as string[];
  /** Every instance address of the stack's resources that belong to the task or its schedules. */
  const taskAddresses = () =>
    Object.keys(stack.document.resource)
      .flatMap((type) => resources(stack, type).map(([name]) => `${type}.${name}`))
      .filter((address) => /(task|ledger|to-orders)/.test(address))
      .sort();

  it("keeps every recorded address of the task's resources, with its instance key", () => {
    expect(contract.filter((address) => !taskAddresses().includes(address))).toEqual([]);
  });

  it("records every address the task's resources have", () => {
    expect(taskAddresses().filter((address) => !contract.includes(address))).toEqual([]);
  });
});
