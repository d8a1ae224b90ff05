import { S3Client } from "@aws-sdk/client-s3";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { isRealInstant } from "../../../functions/commons/task-event";

/** What a command prints and when it runs; tests give their own. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now: () => Date;
}

/**
 * Runs an operator's command as the process: the process's arguments, its standard streams and
 * clock; the exit code it returns, or 1 with the error's name and message on one line.
 */
export function runAsProcess(name: string, command: (args: string[], io: CommandIo) => Promise<number>): void {
  // This machine may run an older Node than the SDK wants; its notice about it is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  command(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    now: () => new Date(),
  }).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(`npm run ${name} failed: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? String(error)}`);
      process.exitCode = 1;
    },
  );
}

export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly values: Readonly<Record<string, string>>;
  readonly flags: ReadonlySet<string>;
}

/**
 * Reads `args` against the options a command takes: `valued` take the next argument, `switches`
 * none. Anything else, a repeated option or a valued one without its value, is a problem.
 */
export function parseCommandArgs(
  args: readonly string[],
  valued: readonly string[],
  switches: readonly string[],
): ParsedArgs | { readonly problem: string } {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    if (values[arg] !== undefined || flags.has(arg)) return { problem: `${arg} is given twice` };
    if (switches.includes(arg)) flags.add(arg);
    else if (valued.includes(arg)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) return { problem: `${arg} needs a value` };
      values[arg] = value;
      i++;
    } else return { problem: `unknown option ${arg}` };
  }
  return { positional, values, flags };
}

/**
 * An instant given on the command line: ISO-8601 with its zone (`2026-11-23T10:00:00Z`,
 * `2026-11-23T11:00:00+01:00`), without one (read as UTC: `2026-11-23T10:00`), or a day
 * (`2026-11-23`, its first instant in UTC).
 */
export function parseInstant(option: string, text: string): Date | { readonly problem: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text;
  const minutes = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(day) ? `${day}:00` : day;
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(minutes) ? `${minutes}Z` : minutes;
  if (!isRealInstant(zoned))
    return {
      problem:
        `${option} must be an ISO-8601 instant (2026-11-23T10:00:00Z, 2026-11-23T11:00:00+01:00; UTC where it names no zone) ` +
        `or a day (2026-11-23, from midnight UTC), got ${JSON.stringify(text)}`,
    };
  return new Date(zoned);
}

/**
 * The clients of the operator's commands: the caller's credentials from the SDK's usual chain,
 * in the environment's region, at AWS_ENDPOINT_URL where it is set (an emulator, which gets
 * path-style bucket addresses and no retries against a service it does not answer).
 */
export function operatorClients(region: string): { s3: S3Client; scheduler: SchedulerClient } {
  const emulated = Boolean(process.env.AWS_ENDPOINT_URL);
  return {
    s3: new S3Client({ region, forcePathStyle: emulated }),
    scheduler: new SchedulerClient({ region, ...(emulated ? { maxAttempts: 1 } : {}) }),
  };
}
