import { readFileSync } from "node:fs";
import { join } from "node:path";
import { satisfies } from "semver";

/**
 * `npm ci` warns EBADENGINE for any locked package whose `engines.node` excludes the Node it
 * runs on; the README promises Node 20 or later, so none may (cookie 2 through fastify's
 * light-my-request wanted Node 22: overridden to a release that supports 20).
 */
it("locks no package that refuses this Node version", () => {
  const lock = JSON.parse(readFileSync(join(__dirname, "..", "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string }; optional?: boolean }> };
  const refusing = Object.entries(lock.packages)
    .filter(([path, meta]) => path !== "" && !meta.optional && typeof meta.engines?.node === "string" && !satisfies(process.versions.node, meta.engines.node, { includePrerelease: true }))
    .map(([path, meta]) => `${path} wants node ${meta.engines!.node}`);
  expect(refusing).toEqual([]);
});
