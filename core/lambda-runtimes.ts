/**
 * The Lambda runtimes the functions may run on, and those refused with the reason. Each runtime
 * has the Node major its bundle is built for (esbuild's target) and tested under, and, where older
 * providers refuse its name, the oldest hashicorp/aws that knows it. docs/runtimes.md gives their deprecation dates.
 */
export const LAMBDA_RUNTIMES = {
  "nodejs22.x": {
    nodeMajor: 22,
    esbuildTarget: "node22",
    /** Every hashicorp/aws the stacks and the module admit knows it. */
    needsAwsProvider: undefined,
  },
  "nodejs24.x": {
    nodeMajor: 24,
    esbuildTarget: "node24",
    /** The oldest hashicorp/aws that knows it: 5.100 refuses it at plan (`expected runtime to be one of [...]`). */
    needsAwsProvider: "6.19.0",
  },
} as const;

export type LambdaRuntime = keyof typeof LAMBDA_RUNTIMES;

export const LAMBDA_RUNTIME_NAMES = Object.keys(LAMBDA_RUNTIMES) as LambdaRuntime[];

/** The default while the Terraform module admits hashicorp/aws 5.x, which knows no newer one. */
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntime = "nodejs22.x";

const USE = `use ${LAMBDA_RUNTIME_NAMES.join(" or ")}`;

/** Node runtimes Lambda has deprecated, each with why it is refused. */
export const REFUSED_LAMBDA_RUNTIMES: Readonly<Record<string, string>> = {
  "nodejs20.x":
    "nodejs20.x is deprecated: Lambda deprecated it on 2026-04-30 and blocks creating functions on it from 2026-08-31 " +
    `and updating them from 2026-09-30; ${USE}`,
  "nodejs18.x": `nodejs18.x is deprecated: Lambda deprecated it on 2025-09-01 and blocks creating and updating functions on it; ${USE}`,
  "nodejs16.x": `nodejs16.x is deprecated: Lambda deprecated it on 2024-06-12 and blocks creating and updating functions on it; ${USE}`,
  ...Object.fromEntries(
    ["nodejs14.x", "nodejs12.x", "nodejs10.x", "nodejs8.10"].map((name) => [
      name,
      `${name} is deprecated: Lambda no longer creates or updates functions on it; ${USE}`,
    ]),
  ),
};
