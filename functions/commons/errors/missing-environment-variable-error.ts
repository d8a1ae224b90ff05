/** A variable the function needs was not set on it: a deployment fault, not a data fault. */
export class MissingEnvironmentVariableError extends Error {
  override readonly name = "MissingEnvironmentVariableError";
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
  }
}
