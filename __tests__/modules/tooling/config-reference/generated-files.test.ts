import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configFieldFiles } from "../../../../modules/tooling/config-reference/generated-files";

const ROOT = join(__dirname, "..", "..", "..", "..");

describe("the files rendered from the field descriptions", () => {
  it.each([...configFieldFiles()].map(([path, text]) => [path, text] as const))("%s is current (else: npm run fields)", (path, text) => {
    expect(readFileSync(join(ROOT, path), "utf8")).toBe(text);
  });

  it("documents every property of the construct's config with what it is, and its default where it has one", () => {
    const types = configFieldFiles().get("modules/config/config-types.ts")!;
    const written = types.slice(0, types.indexOf("Every default filled in."));
    const properties = [...written.matchAll(/\*\/\n\s+readonly (\w+)(\??):/g)];
    const undocumented = [...written.matchAll(/;\n\s+readonly (\w+)/g)].map((m) => m[1]);
    expect(properties.length).toBeGreaterThan(80);
    expect(undocumented).toEqual([]);
    // Every optional property says what it is when left out.
    const blocks = written.split(/\n\s+readonly /).slice(1);
    const optionalWithoutDefault = written
      .split("/**")
      .filter((block) => /\*\/\n\s+readonly \w+\?:/.test(block) && !block.includes("@default"))
      .map((block) => /readonly (\w+)\?/.exec(block)![1]);
    expect(blocks.length).toBeGreaterThan(0);
    expect(
      optionalWithoutDefault.filter((name) => !["description", "payload", "bucket", "notificationTopic", "operationsKey"].includes(name)),
    ).toEqual([]);
  });
});
