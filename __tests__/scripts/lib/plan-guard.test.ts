import { guardPlan, renderPlanGuard } from "../../../scripts/lib/plan-guard";

const change = (address: string, actions: string[], extra: Record<string, unknown> = {}) => ({
  address,
  type: address.split(".")[0],
  change: { actions, ...((extra.change as object) ?? {}) },
  ...extra,
});

describe("plan guard", () => {
  it("blocks a replace of the data bucket, naming the address and Terraform's reason", () => {
    const guard = guardPlan({
      resource_changes: [
        change("aws_s3_bucket.data", ["delete", "create"], {
          action_reason: "replace_because_cannot_update",
          change: { actions: ["delete", "create"], replace_paths: [["bucket"]] },
        }),
      ],
    });
    expect(guard.blocking).toEqual([
      {
        address: "aws_s3_bucket.data",
        type: "aws_s3_bucket",
        action: "replace",
        reason: "an argument that cannot change in place changed (bucket)",
        stateful: expect.stringContaining("task data"),
        waivedBecause: undefined,
      },
    ]);
    expect(renderPlanGuard(guard)).toContain("| aws_s3_bucket.data | replace | an argument that cannot change in place changed (bucket) |");
  });

  it("blocks a delete of a failure queue, and lets a waiver for exactly that address through", () => {
    const plan = {
      resource_changes: [change("aws_sqs_queue.processor_failures", ["delete"], { action_reason: "delete_because_no_resource_config" })],
    };
    expect(guardPlan(plan).blocking.map((c) => [c.address, c.action, c.reason])).toEqual([
      ["aws_sqs_queue.processor_failures", "delete", "the configuration no longer declares it"],
    ]);
    const waived = guardPlan(plan, [
      { address: "aws_sqs_queue.processor_failures", reason: "queue retired; its messages were replayed first" },
    ]);
    expect(waived.blocking).toEqual([]);
    expect(waived.changes[0].waivedBecause).toBe("queue retired; its messages were replayed first");
    // A waiver for a neighbouring address does not count.
    expect(guardPlan(plan, [{ address: "aws_sqs_queue.work", reason: "a different queue entirely" }]).blocking).toHaveLength(1);
  });

  it("lists replaces of stateless resources without blocking, with moves, imports and unused waivers", () => {
    const guard = guardPlan(
      {
        resource_changes: [
          change("aws_iam_role.processor", ["create", "delete"]),
          change("aws_sqs_queue.work", ["no-op"], { previous_address: "aws_sqs_queue.old" }),
          change("aws_s3_bucket.data", ["update"], { change: { actions: ["update"], importing: { id: "bucket" } } }),
        ],
      },
      [{ address: "aws_kms_key.operations", reason: "nothing deletes it in this plan" }],
    );
    expect(guard.blocking).toEqual([]);
    expect(guard.changes.map((c) => [c.address, c.action])).toEqual([["aws_iam_role.processor", "replace"]]);
    expect(guard.moves).toEqual([["aws_sqs_queue.old", "aws_sqs_queue.work"]]);
    expect(guard.imports).toEqual(["aws_s3_bucket.data"]);
    expect(guard.unusedWaivers).toHaveLength(1);
    expect(renderPlanGuard(guard)).toContain("remove them");
  });
});
