import { checkRecord } from "./json-record";
import type { SourceLine } from "./line-splitter";

export type LineOutcome =
  | { readonly kind: "processed"; readonly output: string }
  | { readonly kind: "quarantined"; readonly reason: string; readonly output: string };

/**
 * Decides where the lines of one source go. A valid line becomes
 * `{"source":…,"line":N,"record":<the line's JSON exactly as written>}` (with `"version":…`
 * after the source when it is one version of a versioned key); every other line is kept with
 * its line number, its reason and its original text.
 */
export class LineClassifier {
  private readonly sourceJson: string;
  private readonly processedPrefix: string;

  constructor(
    private readonly sourceKey: string,
    private readonly requiredFields: readonly string[],
    private readonly versionId?: string,
  ) {
    this.sourceJson = JSON.stringify(sourceKey);
    this.processedPrefix = `{"source":${this.sourceJson},${versionId ? `"version":${JSON.stringify(versionId)},` : ""}"line":`;
  }

  classify(line: SourceLine): LineOutcome {
    const reason = this.rejection(line);
    if (typeof reason === "string") {
      return {
        kind: "quarantined",
        reason,
        output: JSON.stringify({
          source: this.sourceKey,
          ...(this.versionId ? { version: this.versionId } : {}),
          line: line.number,
          reason,
          text: line.text,
          ...(line.truncated ? { truncated: true } : {}),
        }),
      };
    }
    return { kind: "processed", output: `${this.processedPrefix}${line.number},"record":${reason.text}}` };
  }

  private rejection(line: SourceLine): string | { text: string } {
    if (line.truncated) return "line is longer than the limit; see the archived source for the full text";
    if (line.invalidUtf8) return "line is not valid UTF-8";
    const check = checkRecord(line.text, this.requiredFields);
    if (!check.ok) return check.reason;
    if (check.absentFields.length > 0) return `missing required field(s): ${check.absentFields.join(", ")}`;
    return { text: check.text };
  }
}

/** One line on its own (tests and tools); the processor keeps one classifier per source. */
export function classifyLine(line: SourceLine, sourceKey: string, requiredFields: readonly string[]): LineOutcome {
  return new LineClassifier(sourceKey, requiredFields).classify(line);
}
