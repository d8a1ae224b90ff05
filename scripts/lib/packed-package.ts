import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PROJECT_ROOT } from "../../modules/bundling/function-bundle";

/** The peers a consumer app of each framework installs beside the package. */
export const PEERS = {
  cdktf: ["cdktf", "constructs", "@cdktf/provider-aws"],
  cdktn: ["cdktn", "constructs", "@cdktn/provider-aws"],
} as const;
export type Flavour = keyof typeof PEERS;

/** `npm pack` of this repository (its prepack builds lib/): the tarball and the paths it holds. */
export function packPackage(destination: string): { tarball: string; files: string[] } {
  const output = execFileSync("npm", ["pack", "--json", "--pack-destination", destination], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  const [info] = JSON.parse(output.slice(output.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: join(destination, info.filename), files: info.files.map((f) => f.path) };
}

/**
 * A fresh consumer app in `app` (outside this tree): the tarball unpacked as npm installs it,
 * and its dependencies, the framework's peers and any `extra` packages linked in from this repository's
 * node_modules (the versions a user would install; no registry needed).
 */
export function installPacked(tarball: string, app: string, flavour: Flavour, extra: readonly string[] = []): void {
  const installed = join(app, "node_modules", "scheduled-task-processing");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  const { dependencies } = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of [...PEERS[flavour], ...extra, ...Object.keys(dependencies)]) {
    const target = join(app, "node_modules", name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(dirname(require.resolve(`${name}/package.json`, { paths: [PROJECT_ROOT] })), target, "dir");
  }
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: `${flavour}-app`, private: true }));
}
