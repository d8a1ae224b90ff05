import { z } from "zod";
import { defineTask, isTaskDefinition } from "../../../../functions/processor/protocol/task";

describe("defineTask", () => {
  it("returns the task as given, frozen", () => {
    const run = async () => ({ done: 1 });
    const task = defineTask({ name: "ledger", payload: z.object({}), run });
    expect(task).toMatchObject({ name: "ledger", run });
    expect(Object.isFrozen(task)).toBe(true);
    expect(isTaskDefinition(task)).toBe(true);
  });

  it.each([
    [
      { name: "Ledger", run: async (): Promise<undefined> => undefined },
      'defineTask: name must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got "Ledger"',
    ],
    [
      { run: async (): Promise<undefined> => undefined },
      "defineTask: name must be 1-32 characters of a-z 0-9 _ -, starting with a letter, got undefined",
    ],
    [{ name: "ledger" }, "defineTask: task ledger needs a run(ctx, payload) function"],
    [
      { name: "ledger", payload: { parse: () => ({}) }, run: async (): Promise<undefined> => undefined },
      "defineTask: task ledger's payload must be a schema with safeParse (zod), got object",
    ],
    [null, "defineTask takes { name, payload?, run }"],
  ])("refuses %j: %s", (definition, message) => {
    expect(() => defineTask(definition as never)).toThrow(new TypeError(message));
  });
});
