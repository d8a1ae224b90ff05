/** SNS subjects: printable ASCII, no line breaks, at most 100 characters. */
export const MAX_SUBJECT_LENGTH = 100;

/** A subject as SNS takes it: printable ASCII, one line, at most 100 characters (cut with "..."). */
export function fitSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, "?").trim();
  return ascii.length <= MAX_SUBJECT_LENGTH ? ascii : `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}
