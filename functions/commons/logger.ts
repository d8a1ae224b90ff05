export type LogFields = Record<string, unknown>;

/**
 * What the functions log through. In Lambda it is Powertools' Logger (commons/observability.ts):
 * structured JSON with service, cold_start, function_request_id, xray_trace_id and the
 * correlation id on every line.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): Logger;
  /** Keys on every line for the rest of this invocation (the run's identity). */
  appendKeys(keys: LogFields): void;
  /** The invocation's correlation id (a scheduled run's execution id). */
  setCorrelationId(id: string): void;
}

export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "NonError", message: String(error) };
}
