/** Sources that failed in an attempt; the others were kept, and a retry finishes these. */
export class SourceFailuresError extends Error {
  override readonly name = "SourceFailuresError";
  constructor(readonly failures: ReadonlyArray<{ source: string; error: unknown }>) {
    super(
      `${failures.length} source(s) failed and stay in incoming/ for a retry: ${failures
        .slice(0, 5)
        .map(({ source, error }) => `${source}: ${(error as Error)?.name ?? "Error"}: ${(error as Error)?.message ?? String(error)}`)
        .join("; ")}${failures.length > 5 ? "; ..." : ""}`,
    );
  }
}
