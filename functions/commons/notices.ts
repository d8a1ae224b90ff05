import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";

export interface Notice {
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** SNS subjects: printable ASCII, no line breaks, at most 100 characters. */
export const MAX_SUBJECT_LENGTH = 100;

export function fitSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, "?").trim();
  return ascii.length <= MAX_SUBJECT_LENGTH ? ascii : `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

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

const OUTCOME_TEXT: Record<RunOutcomeWord, string> = {
  OK: "succeeded",
  PARTIAL: "stopped early because its time ran out; the sources left wait in incoming/ for the next run",
  INCOMPLETE: "did nothing: its time ran out before the first source; the sources wait in incoming/ for the next run",
};

/** The notice of a run that finished (fully or not): what it did, with its figures. */
export function runNotice(run: RunIdentity, outcome: RunOutcomeWord, status: string, counts: Readonly<Record<string, number>>): Notice {
  const figures = Object.entries(counts).map(([name, value]) => `${value} ${name}`);
  return {
    subject: fitSubject(`[${run.environment}] ${outcome} ${run.task} ${run.schedule}: ${figures.join(", ")}`),
    message: [
      `Task ${run.task} of schedule ${run.schedule} ${OUTCOME_TEXT[outcome]}.`,
      "",
      ...describeRun(run),
      "",
      ...figures.map((f) => `- ${f}`),
    ].join("\n"),
    attributes: { ...attributesOf(run), status },
  };
}

export function failureNotice(run: RunIdentity, error: { name: string; message: string }, retried = true): Notice {
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
      `Error: ${error.name}: ${error.message}`,
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
      Subject: notice.subject,
      Message: notice.message,
      MessageAttributes: Object.fromEntries(
        Object.entries(notice.attributes)
          .filter(([, value]) => value.length > 0)
          .map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
      ),
    }),
  );
}
