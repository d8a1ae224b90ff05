import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brokenLinks, githubSlug, headingAnchors, markdownLinks } from "../../../scripts/lib/doc-links";

describe("githubSlug", () => {
  it.each([
    ["Runbook: when an alarm fires", "runbook-when-an-alarm-fires"],
    ["IAM audit: least privilege proven by behaviour", "iam-audit-least-privilege-proven-by-behaviour"],
    ["The repository's stacks", "the-repositorys-stacks"],
    ["The construct, for CDKTF and CDK Terrain", "the-construct-for-cdktf-and-cdk-terrain"],
    ["snake_case & kebab-case", "snake_case--kebab-case"],
    ["Größe über alles", "größe-über-alles"],
    ["Café ☕ (2026)", "café--2026"],
  ])("slugs %j as %j", (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });
});

describe("headingAnchors", () => {
  it("slugs the rendered text (code kept, Markdown around it dropped) and numbers repeated headings", () => {
    const markdown = [
      "# Operations",
      "## `missed-run-<schedule>`",
      "## **Alarms** and [links](x.md)",
      "## Alarms",
      "## Alarms 1",
      "## Alarms",
      "```md",
      "## Not a heading: inside a code block",
      "```",
    ].join("\n");
    expect(headingAnchors(markdown)).toEqual(["operations", "missed-run-schedule", "alarms-and-links", "alarms", "alarms-1", "alarms-2"]);
  });
});

describe("markdownLinks", () => {
  it("finds links and images with the line of their block, and none inside code", () => {
    const markdown = ["# Title", "", "See [a](a.md#x) and ![b](img/b.png).", "", "`[not](a link)`", "", "```", "[nor](this)", "```"].join(
      "\n",
    );
    expect(markdownLinks(markdown)).toEqual([
      { target: "a.md#x", line: 3 },
      { target: "img/b.png", line: 3 },
    ]);
  });
});

describe("brokenLinks", () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "doc-links-"));
    write("README.md", "# Product\n\n## Quick start\n\n[guide](docs/guide.md#first-steps) [folder](docs/) [code](src/main.ts#L2)\n");
    write("docs/guide.md", "# Guide\n\n## First steps\n\n[home](../README.md#quick-start) [self](#guide) [root](/src/main.ts)\n");
    write("src/main.ts", "export {};\n// two lines\n");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const check = (files: string[], pending?: Set<string>) =>
    brokenLinks({ root, files, known: new Set(["README.md", "docs/guide.md", "src/main.ts", ...files]), pending });

  it("accepts links to files, folders, headings and lines that exist", () => {
    expect(check(["README.md", "docs/guide.md"])).toEqual([]);
  });

  it("names the file, the line, the target and what is wrong with each broken link", () => {
    write(
      "docs/broken.md",
      [
        "# Broken",
        "",
        "[gone](missing.md) [anchor](guide.md#last-steps) [here](#nowhere)",
        "",
        "[up](../../outside.md) [line](../src/main.ts#L9) [folder](../src/#x) [web](https://example.com/#x)",
      ].join("\n"),
    );
    expect(check(["docs/broken.md"])).toEqual([
      "docs/broken.md:3: missing.md: no file or folder docs/missing.md in the repository",
      "docs/broken.md:3: guide.md#last-steps: no heading with the anchor #last-steps in docs/guide.md",
      "docs/broken.md:3: #nowhere: no heading with the anchor #nowhere in docs/broken.md",
      "docs/broken.md:5: ../../outside.md: points outside the repository",
      "docs/broken.md:5: ../src/main.ts#L9: src/main.ts has 3 lines, not 9",
      "docs/broken.md:5: ../src/#x: an anchor into a folder",
    ]);
  });

  it("lets a link to a pending page pass while the page does not exist, but not an anchor into it", () => {
    write("docs/next.md", "# Next\n\n[soon](later.md) [soon, anchored](later.md#part)\n");
    expect(check(["docs/next.md"], new Set(["docs/later.md"]))).toEqual([
      "docs/next.md:3: later.md#part: an anchor into a file that does not exist yet",
    ]);
    expect(check(["docs/next.md"])).toEqual([
      "docs/next.md:3: later.md: no file or folder docs/later.md in the repository",
      "docs/next.md:3: later.md#part: no file or folder docs/later.md in the repository",
    ]);
  });

  it("does not count a file git ignores (it would not be on GitHub)", () => {
    write("docs/generated.md", "# Generated\n");
    write("docs/points-at-generated.md", "[g](generated.md)\n");
    const files = ["docs/points-at-generated.md"];
    expect(brokenLinks({ root, files, known: new Set([...files, "docs/generated.md"]) })).toEqual([]);
    expect(brokenLinks({ root, files, known: new Set(files) })).toEqual([
      "docs/points-at-generated.md:1: generated.md: no file or folder docs/generated.md in the repository",
    ]);
  });
});
