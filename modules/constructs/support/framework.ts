/**
 * Which framework this build of the package is for. The CDK Terrain build (lib/cdktn/) is this
 * same file with its quoted module names renamed, so there FRAMEWORK reads cdktn.
 */
const FRAMEWORK: string = "cdktf";

const ENTRIES: Readonly<Record<string, { readonly name: string; readonly entry: string }>> = {
  cdktf: { name: "CDKTF", entry: "scheduled-task-processing" },
  cdktn: { name: "CDK Terrain", entry: "scheduled-task-processing/cdktn" },
};

/**
 * Fails at import with a message that names the entry to use, where the framework this build
 * is for cannot be found: a CDK Terrain app importing the CDKTF entry would otherwise stop at
 * `Cannot find module 'cdktf'` deep inside the package.
 */
export function assertFrameworkInstalled(resolve: (name: string) => string = require.resolve): void {
  try {
    resolve(FRAMEWORK);
  } catch {
    const own = ENTRIES[FRAMEWORK];
    const other = Object.values(ENTRIES).find((e) => e !== own)!;
    throw new Error(
      `${own.entry} is the ${own.name} entry of the package, and this app has no ${own.name} (${FRAMEWORK} cannot be found). ` +
        `In a ${other.name} app, import "${other.entry}" instead; in a ${own.name} app, install ${FRAMEWORK} and its peers.`,
    );
  }
}

assertFrameworkInstalled();
