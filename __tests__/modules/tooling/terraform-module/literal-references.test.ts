import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCHEDULER_CONTEXT, schedulerContextMembers } from "../../../../core/schedule-input";
import { buildExampleApp } from "../../../../examples/cdktf-app/main";
import { literalReferences, templateLiterals } from "../../../../modules/tooling/terraform-module/literal-references";
import { refuseLiteralReferences, synthesizeModule } from "../../../../modules/tooling/terraform-module/synthesize-module";
import { ENVIRONMENTS } from "../../../support/synth";

const MODULE = join(__dirname, "..", "..", "..", "..", "terraform-module");
/** The module's resources and outputs as the construct synthesized them (the HCL is rendered from them). */
let moduleDocument: Awaited<ReturnType<typeof synthesizeModule>>["document"];
beforeAll(async () => {
  moduleDocument = (await synthesizeModule()).document;
});
const stackDocuments = ENVIRONMENTS.map(
  (config) =>
    [config.name, JSON.parse(readFileSync(join(process.env.SYNTH_OUTDIR!, "stacks", config.name, "cdk.tf.json"), "utf8"))] as const,
);

/** Terraform's reading of a template with no interpolations: `$${` and `%%{` are literal. */
const unescapeTemplate = (text: string) => text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");

describe("references written as text", () => {
  it("reads the literal parts of a template at every depth, quoted strings' escapes decoded", () => {
    expect(templateLiterals('${jsonencode({"a" = "aws_sqs_queue.q.arn", "b" = x})}')).toEqual(["a", "aws_sqs_queue.q.arn", "b"]);
    expect(templateLiterals('pre-${var.x}-${f("in \\"q\\" ${local.y}")}-post')).toEqual(["pre-", "-", 'in "q" ', "-post"]);
    expect(templateLiterals("$${var.x} and %%{if}")).toEqual(["${var.x} and %{if}"]);
    expect(templateLiterals('${{ k = "v" }["k"]}')).toEqual(["v", "k"]);
  });

  it("finds the redrive policy that named its dead-letter queue as text (issue #31), and only that", () => {
    const document = {
      resource: {
        aws_sqs_queue: {
          work: { redrive_policy: '${jsonencode({"deadLetterTargetArn" = "aws_sqs_queue.work_dlq.arn", "maxReceiveCount" = 5})}' },
          fixed: { redrive_policy: '${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.work_dlq.arn, "maxReceiveCount" = 5})}' },
        },
        aws_s3_bucket_policy: { data: { depends_on: ["aws_s3_bucket_public_access_block.data"], bucket: "${aws_s3_bucket.data.id}" } },
      },
    };
    expect(literalReferences(document)).toEqual([
      {
        path: "resource.aws_sqs_queue.work.redrive_policy",
        literal: "aws_sqs_queue.work_dlq.arn",
        reference: "aws_sqs_queue.work_dlq.arn",
      },
    ]);
  });

  it.each([
    ["a variable", '${format("%s", "var.environment")}', "var.environment"],
    ["a local", "${local.name_prefix}-local.bucket_name", "local.bucket_name"],
    ["an iterator", '${{ for k, v in x : k => "each.value" }}', "each.value"],
    ["a module output", "module.tasks.bucket_name", "module.tasks"],
    ["a data source", '${"data.aws_region.current.id"}', "data.aws_region.current"],
  ])("finds %s written as text", (_, text, reference) => {
    expect(literalReferences({ output: { x: { value: text } } }).map((f) => f.reference)).toEqual([reference]);
  });

  it("refuses to write a module holding one, naming where and what", () => {
    expect(() =>
      refuseLiteralReferences({ resource: { aws_sqs_queue: { work: { redrive_policy: '{"a":"aws_sqs_queue.dlq.arn"}' } } } }),
    ).toThrow(
      "the module would hold references written as text (wrap each in ${...} or pass the token itself):\n" +
        '  resource.aws_sqs_queue.work.redrive_policy: "{\\"a\\":\\"aws_sqs_queue.dlq.arn\\"}" names aws_sqs_queue.dlq.arn',
    );
  });

  it("the module holds none", () => {
    expect(literalReferences(moduleDocument)).toEqual([]);
  });

  it.each(stackDocuments)("the %s stack holds none", (_, document) => {
    expect(literalReferences(document)).toEqual([]);
  });

  it("the module's work queue refers to its dead-letter queue", () => {
    expect(moduleDocument.resource.aws_sqs_queue.work.redrive_policy).toContain('"deadLetterTargetArn" = aws_sqs_queue.work_dlq.arn');
    expect(readFileSync(join(MODULE, "processor.tf"), "utf8")).toContain('"deadLetterTargetArn" = aws_sqs_queue.work_dlq.arn');
  });
});

describe("Scheduler's context attributes reach AWS as literal text", () => {
  const placeholders = Object.values(SCHEDULER_CONTEXT);

  it("in the module: appended to the jsonencoded rest, never passed through jsonencode", () => {
    const schedules = readFileSync(join(MODULE, "schedules.tf"), "utf8");
    const start = String.raw`schedule_inputs = \{ for s in var\.schedules : s\.name => format\("%s,%s\}", `;
    const inputs = new RegExp(`${start}trimsuffix\\(jsonencode\\(\\{[\\s\\S]*?\\}\\), "\\}"\\), ("[^\\n]*")\\) \\}`).exec(schedules);
    expect(inputs?.[1]).toBe(JSON.stringify(schedulerContextMembers()));
    expect(schedules.match(/aws\.scheduler\./g)).toHaveLength(placeholders.length);
    expect(schedulerContextMembers()).toBe(
      '"scheduled_time":"<aws.scheduler.scheduled-time>","execution_id":"<aws.scheduler.execution-id>",' +
        '"attempt_number":"<aws.scheduler.attempt-number>"',
    );
  });

  const inputs = (document: { resource: Record<string, Record<string, any>> }): Array<[string, string]> =>
    Object.entries(document.resource.aws_scheduler_schedule.tasks.for_each as Record<string, { input: string }>).map(([name, spec]) => [
      name,
      unescapeTemplate(spec.input),
    ]);

  it.each(stackDocuments)("in the %s stack: every schedule's input", (_, document) => {
    const all = inputs(document);
    expect(all.length).toBeGreaterThan(0);
    for (const [name, input] of all) {
      for (const placeholder of placeholders)
        expect({ name, literal: input.includes(`"${placeholder}"`) }).toEqual({ name, literal: true });
      expect(JSON.parse(input)).toMatchObject({ schedule: name, scheduled_time: SCHEDULER_CONTEXT.scheduledTime });
    }
  });

  it("in a team's CDKTF app using the construct (examples/cdktf-app)", () => {
    const outdir = mkdtempSync(join(tmpdir(), "cdktf-app-"));
    buildExampleApp(outdir).synth();
    const document = JSON.parse(readFileSync(join(outdir, "stacks", "analytics-qa", "cdk.tf.json"), "utf8"));
    expect(literalReferences(document)).toEqual([]);
    for (const [, input] of inputs(document)) for (const placeholder of placeholders) expect(input).toContain(`"${placeholder}"`);
  });
});
