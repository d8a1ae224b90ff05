import { MissingEnvironmentVariableError } from "./errors/missing-environment-variable-error";

/** Reads a required environment variable, failing with its name when it is missing or empty. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") throw new MissingEnvironmentVariableError(name);
  return value;
}

/** An environment variable that may be left out (unset or blank). */
export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}
