import type { EnvironmentConfig } from "../../modules/config/schema";
import { validateEnvironment } from "../../modules/config/validate";
import { runBackfillCommand } from "../../scripts/backfill";
import { runTriggerCommand } from "../../scripts/trigger";
import { environment } from "../support/synth";

/** dev with one schedule on a queue outside the stack. */
function devWithQueueSchedule(): EnvironmentConfig {
  const dev = environment("dev");
  const result = validateEnvironment({
    ...dev,
    schedules: [
      ...dev.schedules,
      { name: "to-orders", expression: "rate(1 hour)", target: { sqs: "arn:aws:sqs:us-east-1:111111111111:orders" } },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

describe("the operator's commands on a schedule that invokes a target", () => {
  const config = devWithQueueSchedule();
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    const invoked: unknown[] = [];
    return {
      out,
      err,
      invoked,
      deps: {
        out: (text: string) => void out.push(text),
        err: (text: string) => void err.push(text),
        now: () => new Date("2026-11-23T12:00:00Z"),
        loadEnvironment: () => config,
        invoker: async (event: Record<string, unknown>) => {
          invoked.push(event);
          return "accepted";
        },
      },
    };
  };

  it("refuse to run it now: run now runs the processor's tasks, and nothing is invoked", async () => {
    const { deps, err, invoked } = io();
    expect(await runTriggerCommand(["dev", "to-orders"], deps)).toBe(2);
    expect(err.join("")).toBe("to-orders invokes sqs arn:aws:sqs:us-east-1:111111111111:orders, not a task: run now runs tasks\n");
    expect(invoked).toEqual([]);
  });

  it("refuse to backfill it: it leaves no run record to find missed times in", async () => {
    const { deps, err, invoked } = io();
    const args = ["dev", "--schedule", "to-orders", "--from", "2026-11-16T00:00:00Z", "--to", "2026-11-23T00:00:00Z", "--dry-run"];
    expect(await runBackfillCommand(args, deps)).toBe(2);
    expect(err.join("")).toBe("to-orders invokes sqs arn:aws:sqs:us-east-1:111111111111:orders, not a task: it has no runs to backfill\n");
    expect(invoked).toEqual([]);
  });
});
