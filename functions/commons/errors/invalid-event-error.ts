/** The invocation event does not match the task event schema; `field` names what is wrong. */
export class InvalidEventError extends Error {
  override readonly name = "InvalidEventError";
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`invalid event: ${field}: ${reason}`);
  }
}
