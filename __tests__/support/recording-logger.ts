import type { LogFields, Logger } from "../../functions/commons/logger";

/**
 * A Logger that keeps each line as an object, in Powertools' field names (level in capitals,
 * message, the fields), for in-process tests of what a handler reports. The lines Powertools
 * itself writes are checked on the bundled handlers (bundled-handler.test.ts).
 */
export function recordingLogger(lines: LogFields[] = [], fields: LogFields = {}, keys: LogFields = {}): Logger {
  const write =
    (level: string) =>
    (message: string, extra: LogFields = {}) =>
      lines.push({ level, message, ...keys, ...fields, ...extra });
  return {
    debug: write("DEBUG"),
    info: write("INFO"),
    warn: write("WARN"),
    error: write("ERROR"),
    child: (more) => recordingLogger(lines, { ...fields, ...more }, keys),
    appendKeys: (more) => Object.assign(keys, more),
    setCorrelationId: (id) => Object.assign(keys, { correlation_id: id }),
  };
}
