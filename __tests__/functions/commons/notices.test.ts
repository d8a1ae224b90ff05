import { failureNotice, fitSubject, MAX_SUBJECT_LENGTH, runNotice } from "../../../functions/commons/notices";

const run = {
  environment: "prod",
  task: "data_processing",
  schedule: "data-processing",
  scheduledTime: "2026-11-23T10:00:00Z",
  executionId: "e-1",
  attempt: "2",
};

describe("notices", () => {
  it("report success with the counts in subject and body", () => {
    const notice = runNotice(run, "OK", "completed", { processed: 120, quarantined: 3 });
    expect(notice.subject).toBe("[prod] OK data_processing data-processing: 120 processed, 3 quarantined");
    expect(notice.message).toContain("- 120 processed");
    expect(notice.message).toContain("Execution id: e-1");
    expect(notice.attributes).toEqual({ task: "data_processing", environment: "prod", schedule: "data-processing", status: "completed" });
  });

  it("say when a run stopped for time, partly or before doing anything", () => {
    expect(runNotice(run, "PARTIAL", "partial", { waiting: 5, sources: 2 })).toMatchObject({
      subject: "[prod] PARTIAL data_processing data-processing: 5 waiting, 2 sources",
      message: expect.stringContaining("stopped early because its time ran out"),
      attributes: expect.objectContaining({ status: "partial" }),
    });
    expect(runNotice(run, "INCOMPLETE", "incomplete", { waiting: 7, sources: 0 })).toMatchObject({
      subject: "[prod] INCOMPLETE data_processing data-processing: 7 waiting, 0 sources",
      message: expect.stringContaining("did nothing: its time ran out before the first source"),
    });
  });

  it("say a rejected event is not retried", () => {
    expect(failureNotice(run, { name: "InvalidEventError", message: "bad" }, false).message).toContain(
      "went straight to the failure queue without retries",
    );
  });

  it("report failure with the error and what happens to the event", () => {
    const notice = failureNotice(run, { name: "NoSuchBucket", message: "The specified bucket does not exist" });
    expect(notice.subject).toBe("[prod] FAILED data_processing data-processing: NoSuchBucket");
    expect(notice.message).toContain("Error: NoSuchBucket: The specified bucket does not exist");
    expect(notice.message).toContain("failure queue");
    expect(notice.attributes.status).toBe("failed");
  });

  it("fit SNS subject rules: printable ASCII, one line, at most 100 characters", () => {
    const subject = fitSubject(`Zoë\nreport ${"x".repeat(200)}`);
    expect(subject.length).toBe(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith("...")).toBe(true);
  });
});
