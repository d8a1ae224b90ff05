/**
 * The suites `npm test` leaves to `npm run test:deep` (which CI runs after it): each drives a
 * slow tool or whole processes end to end, for seconds to tens of seconds, where `npm test`
 * must stay within a minute: Terraform plans and `terraform test` of every face, the IAM audit's
 * recordings of every environment and the module, the packed package installed into fresh apps,
 * own tasks bundled and run under Node 22 and 24, the bundled processor in fresh processes under
 * each Node (and killed at every step), the operator's commands against the emulator (and their
 * policy, from the calls they make), the runs page in a headless browser, and the chaos
 * campaign. `npm test` keeps the same behaviour covered in process: the processor against the
 * emulator, the synthesized stacks, the module's generation. Paths relative to __tests__/.
 */
const DEEP_SUITES = [
  "terraform/module-and-examples.test.ts",
  "terraform/validate-plan.test.ts",
  "terraform/apply-rehearsal.test.ts",
  "scripts/plan.test.ts",
  "scripts/iam-audit/",
  "package/installed-package.test.ts",
  "functions/processor/chaos.test.ts",
  "modules/bundling/task-bundle.test.ts",
  "functions/processor/bundled-handler.test.ts",
  "functions/processor/crash-recovery.test.ts",
  "scripts/backfill.test.ts",
  "scripts/runs.test.ts",
  "scripts/trigger.test.ts",
  "scripts/own-task-operations.test.ts",
  "state/own-task-addresses.test.ts",
  "scripts/local.test.ts",
  "scripts/lib/run-history/operator-policy.test.ts",
  "scripts/lib/run-history/render-html.test.ts",
  "scripts/review.test.ts",
  "scripts/commands-as-processes.test.ts",
];

module.exports = { DEEP_SUITES };
