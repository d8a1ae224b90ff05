// `npm test`: the type-check, Biome's checks and the fast jest suites, side by side. jest keeps
// both cores busy most of the time but not all of it (its suites wait on the emulator and on
// timers); the type-check fills those gaps instead of running first on its own. Plain Node, so
// nothing is compiled before the checks start. Exits non-zero when any of the three fails.
const { spawn } = require("node:child_process");
const { join } = require("node:path");

const bin = (name) => join(__dirname, "..", "node_modules", ".bin", name);

/** Runs a command with its output kept, to print once it ends (jest's is printed as it comes). */
function run(label, command, args, { live = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: live ? "inherit" : ["ignore", "pipe", "pipe"] });
    let output = "";
    if (!live) for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ label, code: 1, output: `${label}: ${error.message}\n` }));
    child.on("close", (code) => resolve({ label, code: code ?? 1, output }));
  });
}

Promise.all([
  run("tsc", bin("tsc"), ["-p", "."]),
  run("biome", bin("biome"), ["check", "."]),
  run("jest", bin("jest"), ["--silent", ...process.argv.slice(2)], { live: true }),
]).then((results) => {
  for (const { label, code, output } of results.filter((r) => r.label !== "jest")) {
    if (code !== 0) process.stderr.write(`\n${label} failed:\n${output}`);
    else if (label === "biome") process.stdout.write(`${output.split("\n").find((line) => line.startsWith("Checked")) ?? ""}\n`);
  }
  const failed = results.filter((r) => r.code !== 0).map((r) => r.label);
  if (failed.length > 0) process.stderr.write(`\nnpm test failed: ${failed.join(", ")}\n`);
  process.exitCode = failed.length > 0 ? 1 : 0;
});
