import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { fitSubject } from "./subject";

export { fitSubject, MAX_SUBJECT_LENGTH } from "./subject";

export interface Notice {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** SNS's limit on a published message: its text and its attributes together, in bytes. */
export const MAX_SNS_MESSAGE_BYTES = 256 * 1024;
/** Room kept for the attributes and the request's own fields. */
const ATTRIBUTES_ROOM_BYTES = 8 * 1024;

export interface RunIdentity {
  readonly environment: string;
  readonly task: string;
  readonly schedule: string;
  readonly scheduledTime?: string;
  readonly executionId?: string;
  readonly attempt?: string | number;
}

/** How a finished run went, as its notice says it: OK, or PARTIAL / INCOMPLETE when time ran out. */
export type RunOutcomeWord = "OK" | "PARTIAL" | "INCOMPLETE";

const OUTCOME_TEXT: Record<RunOutcomeWord, (waitingIn: string) => string> = {
  OK: () => "succeeded",
  PARTIAL: (waitingIn) => `stopped early because its time ran out; the sources left wait in ${waitingIn} for the next run`,
  INCOMPLETE: (waitingIn) => `did nothing: its time ran out before the first source; the sources wait in ${waitingIn} for the next run`,
};

/** What a run's notice may say beyond its figures. */
export interface RunNoticeText {
  /** Replaces the standard sentence on how the run went. */
  readonly outcome?: string;
  /** Paragraphs after the figures (the sources set aside or left failing, say). */
  readonly details?: readonly string[];
  /** Where the sources a PARTIAL or INCOMPLETE run left wait. @default incoming/ */
  readonly waitingIn?: string;
}

/** The notice of a run that finished (fully or not): what it did, with its figures. */
export function runNotice(
  run: RunIdentity,
  outcome: RunOutcomeWord,
  status: string,
  counts: Readonly<Record<string, number>>,
  text: RunNoticeText = {},
): Notice {
  const figures = Object.entries(counts).map(([name, value]) => `${value} ${name}`);
  return {
    subject: fitSubject(`[${run.environment}] ${outcome} ${run.task} ${run.schedule}: ${figures.join(", ")}`),
    message: [
      `Task ${run.task} of schedule ${run.schedule} ${text.outcome ?? OUTCOME_TEXT[outcome](text.waitingIn ?? "incoming/")}.`,
      "",
      ...describeRun(run),
      "",
      ...figures.map((f) => `- ${f}`),
      ...(text.details?.length ? ["", ...text.details] : []),
    ].join("\n"),
    attributes: { ...attributesOf(run), status },
  };
}

/** A message within SNS's size limit: cut at a character, saying how much was left out. */
export function fitMessage(text: string, maxBytes = MAX_SNS_MESSAGE_BYTES - ATTRIBUTES_ROOM_BYTES): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  const note = `\n... (cut: the whole message was ${bytes} bytes, more than a notice carries)`;
  const kept = Buffer.from(text)
    .subarray(0, maxBytes - Buffer.byteLength(note))
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return `${kept}${note}`;
}

/** SNS message attribute values: XML 1.0 characters only, and short. */
function fitAttribute(value: string): string {
  const clean = value.replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "?");
  return clean.length <= 256 ? clean : `${clean.slice(0, 253)}...`;
}

/**
 * The notice of a run that failed (retried) or an event rejected for good. `archivedEvent`: the
 * rejected event was too large to travel whole and is kept at that key.
 */
export function failureNotice(run: RunIdentity, error: { name: string; message: string }, retried = true, archivedEvent?: string): Notice {
  return {
    subject: fitSubject(`[${run.environment}] FAILED ${run.task} ${run.schedule}: ${error.name}`),
    message: [
      retried
        ? `Task ${run.task} of schedule ${run.schedule} failed. The event is retried and, once retries are spent, kept in the failure ` +
          `queue.`
        : `Task ${run.task} of schedule ${run.schedule} was rejected: its event can never run as it is, so it went straight to the ` +
          `failure queue without retries.`,
      "",
      ...describeRun(run),
      `Error: ${error.name}: ${error.message.length <= 4_096 ? error.message : `${error.message.slice(0, 4_093)}...`}`,
      ...(archivedEvent
        ? ["", `The event was too large to travel whole: it is kept at ${archivedEvent}; the failure queue holds its identity.`]
        : []),
    ].join("\n"),
    attributes: { ...attributesOf(run), status: "failed" },
  };
}

function describeRun(run: RunIdentity): string[] {
  return [
    `Environment: ${run.environment}`,
    `Scheduled time: ${run.scheduledTime ?? "unknown"}`,
    `Execution id: ${run.executionId ?? "unknown"}`,
    ...(run.attempt !== undefined ? [`Attempt: ${run.attempt}`] : []),
  ];
}

function attributesOf(run: RunIdentity): Record<string, string> {
  return { task: run.task, environment: run.environment, schedule: run.schedule };
}

export async function publishNotice(sns: SNSClient, topicArn: string, notice: Notice): Promise<void> {
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: fitSubject(notice.subject),
      Message: fitMessage(notice.message),
      MessageAttributes: Object.fromEntries(
        Object.entries(notice.attributes)
          .filter(([, value]) => value.length > 0)
          .map(([name, value]) => [name, { DataType: "String", StringValue: fitAttribute(value) }]),
      ),
    }),
  );
}
