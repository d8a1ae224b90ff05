import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { environmentNames } from "../../environments";
import { commentMarker } from "../../scripts/lib/pr-comment";

/**
 * The pull-request and deploy workflows, parsed by GitHub's own parser (@actions/workflow-parser)
 * and checked for what they promise: their triggers, least-privilege permissions, actions
 * pinned to full commit SHAs (the version in a comment), AWS credentials only from OIDC.
 */
const ROOT = join(__dirname, "..", "..");
const DIRECTORY = join(ROOT, ".github", "workflows");
const FILES = readdirSync(DIRECTORY).filter((f) => f.endsWith(".yml"));
const text = (file: string) => readFileSync(join(DIRECTORY, file), "utf8");
const yaml = (file: string) => parse(text(file)) as any;
const ALLOWED_PERMISSIONS = { contents: "read", "id-token": "write", "pull-requests": "write", "security-events": "write" };

describe("the workflows", () => {
  const parsed = JSON.parse(
    execFileSync(
      process.execPath,
      ["--import", "tsx", join(ROOT, "scripts", "lib", "parse-workflow.mjs"), ...FILES.map((f) => join(DIRECTORY, f))],
      { encoding: "utf8" },
    ),
  ) as Record<string, { errors: string[]; template?: { jobs: Array<{ id: string }> } }>;

  it.each(FILES)("%s parses without errors with GitHub's parser", (file) => {
    expect(parsed[file].errors).toEqual([]);
    expect(parsed[file].template?.jobs.length).toBeGreaterThan(0);
  });

  it.each(FILES)("%s pins every action to a full commit SHA with its version in a comment", (file) => {
    const uses = text(file)
      .split("\n")
      .filter((line) => /^\s*-?\s*uses:/.test(line))
      .map((line) => line.trim());
    for (const line of uses) {
      if (line.includes("uses: ./")) continue; // a workflow of this repository
      expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
  });

  it.each(FILES)("%s grants read-only contents by default and each job only what it uses", (file) => {
    const workflow = yaml(file);
    expect(workflow.permissions).toEqual({ contents: "read" });
    for (const [id, job] of Object.entries(workflow.jobs as Record<string, any>)) {
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        expect({ id, scope, level }).toEqual({ id, scope, level: ALLOWED_PERMISSIONS[scope as keyof typeof ALLOWED_PERMISSIONS] });
      }
    }
  });

  it.each(FILES)("%s takes AWS credentials only from GitHub's OIDC, never from stored keys", (file) => {
    const content = text(file);
    expect(content).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-session-token/);
    expect(content).not.toMatch(/secrets\./);
    const steps = Object.values(yaml(file).jobs as Record<string, any>).flatMap((job) => job.steps ?? []);
    for (const step of steps.filter((s: any) => String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"))) {
      expect(step.with["role-to-assume"]).toMatch(/^\$\{\{ vars\[/);
    }
    const jobsWithCredentials = Object.values(yaml(file).jobs as Record<string, any>).filter((job) =>
      (job.steps ?? []).some((s: any) => String(s.uses ?? "").startsWith("aws-actions/")),
    );
    for (const job of jobsWithCredentials) expect(job.permissions["id-token"]).toBe("write");
  });

  it("reviews pull requests that touch the app, the functions or an environment, one comment per environment kept up to date", () => {
    const workflow = yaml("review.yml");
    expect(workflow.on.pull_request.paths).toEqual(expect.arrayContaining(["main.ts", "modules/**", "functions/**", "environments/**"]));
    const job = workflow.jobs.review;
    expect(job.needs).toBe("environments");
    expect(job.strategy.matrix.environment).toBe("${{ fromJSON(needs.environments.outputs.names) }}");
    expect(job.permissions).toEqual(ALLOWED_PERMISSIONS);
    expect(job.concurrency.group).toMatch(/github\.event\.pull_request\.number.*matrix\.environment/);
    const steps = job.steps as any[];
    const run = steps.map((s) => String(s.run ?? "")).join("\n");
    expect(run).toMatch(/npm ci/);
    expect(run).toMatch(/npm test/);
    expect(run).toMatch(/npm run plan -- "\$ENVIRONMENT"/);
    expect(run).toMatch(/review -- "\$ENVIRONMENT" \$\{plan:\+--plan "\$plan"\} --format sarif/);
    const comment = steps.find((s) => String(s.uses ?? "").startsWith("actions/github-script@"));
    expect(comment.with.script).toContain("updateComment");
    expect(comment.with.script).toContain("<!-- scheduled-task-processing review: ${process.env.ENVIRONMENT} -->");
    expect(commentMarker("prod")).toBe("<!-- scheduled-task-processing review: prod -->");
    expect(steps.some((s) => String(s.uses ?? "").startsWith("github/codeql-action/upload-sarif@"))).toBe(true);
    const last = steps[steps.length - 1];
    expect(last.if).toBe("steps.plan.outputs.exit != '0' || steps.review.outputs.exit != '0'");
    expect(last.run).toContain("exit 1");
  });

  it("reviews every environment in environments/, read from the files as the app reads them", () => {
    const list = yaml("review.yml").jobs.environments.steps.find((s: any) => s.id === "list");
    const output = join(mkdtempSync(join(tmpdir(), "github-output-")), "output");
    writeFileSync(output, "");
    execFileSync("bash", ["-e", "-c", list.run], { cwd: join(__dirname, "..", ".."), env: { ...process.env, GITHUB_OUTPUT: output } });
    const names = JSON.parse(
      readFileSync(output, "utf8")
        .trim()
        .replace(/^names=/, ""),
    );
    expect(names).toEqual([...environmentNames()]);
  });

  it("deploys main to dev, then staging, then prod, each in its GitHub environment, applying the plan it saved", () => {
    const deploy = yaml("deploy.yml");
    expect(deploy.on).toEqual({ push: { branches: ["main"] } });
    expect(deploy.jobs.staging.needs).toBe("dev");
    expect(deploy.jobs.prod.needs).toBe("staging");
    for (const env of ["dev", "staging", "prod"]) expect(deploy.jobs[env].with.environment).toBe(env);
    const environment = yaml("deploy-environment.yml");
    expect(environment.jobs.plan.environment).toBe("${{ inputs.environment }}");
    expect(environment.jobs.apply.environment).toBe("${{ inputs.environment }}");
    expect(environment.jobs.apply.needs).toBe("plan");
    const applyRun = (environment.jobs.apply.steps as any[]).map((s) => String(s.run ?? "")).join("\n");
    expect(applyRun).toMatch(/apply -input=false tfplan/);
    expect((environment.jobs.plan.steps as any[]).some((s) => String(s.uses ?? "").startsWith("actions/upload-artifact@"))).toBe(true);
    expect((environment.jobs.apply.steps as any[]).some((s) => String(s.uses ?? "").startsWith("actions/download-artifact@"))).toBe(true);
  });
});
