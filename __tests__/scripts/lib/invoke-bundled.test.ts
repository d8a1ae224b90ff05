import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { invokeBundled } from "../../../scripts/lib/invoke-bundled";

describe("invokeBundled", () => {
  it("reports the peak memory of the handler's process alone, not the high-water mark it inherits from its parent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "invoke-bundled-"));
    const handler = join(dir, "handler.js");
    // Holds 64 MB while it runs: its own peak must show it.
    writeFileSync(handler, "exports.handler = async () => { const held = Buffer.alloc(64 * 1024 * 1024, 1); return held.length; };\n");
    // This process's peak is raised well above the child's; getrusage would hand it down across exec.
    const ballast = Buffer.alloc(400 * 1024 * 1024, 1);
    const run = await invokeBundled(handler, {}, {});
    expect(run).toMatchObject({ ok: true, result: 64 * 1024 * 1024 });
    expect(ballast.length).toBeGreaterThan(0);
    expect(run.maxRssMb).toBeGreaterThan(64);
    expect(run.maxRssMb).toBeLessThan(250);
  });
});
