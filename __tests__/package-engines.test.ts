import { readFileSync } from "node:fs";
import { join } from "node:path";
import { satisfies } from "semver";

/**
 * `npm ci` warns EBADENGINE for any locked package whose `engines.node` excludes the Node it
 * runs on; the README promises Node 20 or later, so none may (cookie 2 through fastify's
 * light-my-request wanted Node 22: overridden to a release that supports 20), but for the one
 * the README names: @cdktn/provider-aws 25.x declares Node 22.11 (every release that pairs with
 * cdktn 0.24 does), is a dev dependency only for testing the CDK Terrain build, and runs on 20.
 */
const EXPLAINED = new Set(["node_modules/@cdktn/provider-aws"]);

it("locks no package that refuses this Node version, but the one the README explains", () => {
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
