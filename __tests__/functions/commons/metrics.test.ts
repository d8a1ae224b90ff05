import { METRIC_NAMESPACE, taskRunMetricLine } from "../../../functions/commons/metrics";

describe("taskRunMetricLine", () => {
  const run = {
    task: "report",
    environment: "prod",
    schedule: "daily-report",
    durationMs: 250,
    recordsProcessed: 10,
    recordsQuarantined: 2,
  };

  it("is a CloudWatch embedded-metric document with task and environment dimensions", () => {
    // A minute ago: CloudWatch (and Powertools, which warns) take timestamps from the last 14 days.
    const timestamp = Date.now() - 60_000;
    const document = JSON.parse(taskRunMetricLine({ ...run, succeeded: true }, timestamp));
    expect(document._aws.Timestamp).toBe(timestamp);
    const [directive] = document._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe(METRIC_NAMESPACE);
    // Powertools adds the service to each dimension set; the alarms and the dashboard read exactly these.
    expect(directive.Dimensions).toHaveLength(2);
    expect(directive.Dimensions).toEqual(
      expect.arrayContaining([
        ["service", "task", "environment"],
        ["service", "task", "environment", "schedule"],
      ]),
    );
    expect(document.service).toBe("processor");
    expect(directive.Metrics.map((m: { Name: string }) => m.Name)).toEqual([
      "TaskExecution",
      "TaskFailure",
      "TaskDuration",
      "RecordsProcessed",
      "RecordsQuarantined",
    ]);
    for (const metric of directive.Metrics) expect(typeof document[metric.Name]).toBe("number");
    for (const dimension of directive.Dimensions.flat()) expect(typeof document[dimension]).toBe("string");
    expect(document).toMatchObject({ TaskExecution: 1, TaskFailure: 0, TaskDuration: 250, RecordsProcessed: 10, RecordsQuarantined: 2 });
  });

  it("keeps one run's dimensions out of the next run's line", () => {
    taskRunMetricLine({ ...run, schedule: "first", succeeded: true });
    const second = JSON.parse(taskRunMetricLine({ ...run, schedule: "second", succeeded: true }));
    expect(second.schedule).toBe("second");
    expect(second._aws.CloudWatchMetrics[0].Dimensions).toHaveLength(2);
    expect(second.TaskExecution).toBe(1);
  });

  it("serializes run after run without a Powertools warning on stderr", () => {
    const warnings: string[] = [];
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      warnings.push(String(chunk));
      return true;
    });
    try {
      for (const task of ["report", "data_processing", "report"]) taskRunMetricLine({ ...run, task, succeeded: true });
    } finally {
      write.mockRestore();
    }
    expect(warnings).toEqual([]);
  });

  it("counts a failed run as a failure, not an execution", () => {
    expect(JSON.parse(taskRunMetricLine({ ...run, succeeded: false }))).toMatchObject({ TaskExecution: 0, TaskFailure: 1 });
  });

  it("counts a run that failed before its event named a schedule (or a task) by what it could name, without a warning", () => {
    const warnings: string[] = [];
    const capture = (chunk: unknown) => {
      warnings.push(String(chunk));
      return true;
    };
    const write = jest.spyOn(process.stderr, "write").mockImplementation(capture);
    const warn = jest.spyOn(console, "warn").mockImplementation(capture);
    try {
      const document = JSON.parse(taskRunMetricLine({ ...run, schedule: "", succeeded: false }));
      expect(document._aws.CloudWatchMetrics[0].Dimensions).toEqual([["service", "task", "environment"]]);
      expect(document).not.toHaveProperty("schedule");
      expect(document.TaskFailure).toBe(1);
      // A rejected event's fields may be anything: what no schedule or task could be named is not a dimension value.
      const rejected = JSON.parse(taskRunMetricLine({ ...run, task: "☃".repeat(100_000), schedule: "\n".repeat(300), succeeded: false }));
      expect(rejected._aws.CloudWatchMetrics[0].Dimensions).toEqual([["service", "task", "environment"]]);
      expect({ task: rejected.task, schedule: rejected.schedule }).toEqual({ task: "unknown", schedule: undefined });
    } finally {
      write.mockRestore();
      warn.mockRestore();
    }
    expect(warnings).toEqual([]);
  });
});
