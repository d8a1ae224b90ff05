/** AWS SDK v3 clients to trace (each gets X-Ray's capture middleware once). */
export type TracedClients = ReadonlyArray<object>;

interface Trace {
  around<R>(work: () => Promise<R>): Promise<R>;
  annotate(annotations: Readonly<Record<string, string | number | boolean>>): void;
}

const UNTRACED: Trace = { around: (work) => work(), annotate: () => undefined };
let active: Trace = UNTRACED;
let loading: Promise<Trace> | undefined;

/** Whether this function traces: the constructs set POWERTOOLS_TRACE_ENABLED with Lambda's Active mode. */
function tracingEnabled(): boolean {
  return process.env.POWERTOOLS_TRACE_ENABLED === "true";
}

/**
 * The Powertools Tracer, loaded only where tracing is on: it brings the X-Ray SDK, which a
 * function without tracing should not pay for at cold start.
 */
export function tracing(serviceName: string, clients: TracedClients): Promise<Trace> {
  if (!tracingEnabled()) return Promise.resolve(UNTRACED);
  loading ??= import("@aws-lambda-powertools/tracer").then(({ Tracer }) => {
    const tracer = new Tracer({ serviceName });
    for (const client of clients) tracer.captureAWSv3Client(client);
    active = {
      annotate: (annotations) => {
        for (const [key, value] of Object.entries(annotations)) tracer.putAnnotation(key, value);
      },
      around: async (work) => {
        const segment = tracer.getSegment();
        const handlerSegment = segment?.addNewSubsegment(`## ${process.env._HANDLER ?? "handler"}`);
        if (handlerSegment) tracer.setSegment(handlerSegment);
        tracer.annotateColdStart();
        tracer.addServiceNameAnnotation();
        try {
          return await work();
        } catch (error) {
          if (error instanceof Error) tracer.addErrorAsMetadata(error);
          throw error;
        } finally {
          handlerSegment?.close();
          if (segment) tracer.setSegment(segment);
        }
      },
    };
    return active;
  });
  return loading;
}

/** Annotations on the current trace (task, schedule), when tracing is on. */
export function annotateTrace(annotations: Readonly<Record<string, string | number | boolean>>): void {
  active.annotate(annotations);
}
