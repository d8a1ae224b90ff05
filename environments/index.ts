import { dev } from "./dev";
import { prod } from "./prod";
import { staging } from "./staging";

/** Every environment's config as written, keyed by the file it lives in (not yet validated). */
export const environments: Readonly<Record<string, unknown>> = { dev, staging, prod };
