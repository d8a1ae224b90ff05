import { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import { METRIC_NAMESPACE } from "../../core/metric-names";
import type { LogFields, Logger } from "./logger";
import { type TracedClients, tracing } from "./tracing";

/**
 * Powertools for AWS Lambda, configured as Powertools users expect: by POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_LOG_LEVEL (the constructs and the module set them),
 * with this function's role as the fallback service name.
 */
export function createObservability(defaultService: string) {
  const serviceName = process.env.POWERTOOLS_SERVICE_NAME || defaultService;
  const logger = new PowertoolsLogger({ serviceName });
  const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRIC_NAMESPACE });
  return { serviceName, logger, metrics, log: loggerPort(logger) };
}

/** The functions' Logger, written by Powertools: each child adds its fields to every line it writes. */
export function loggerPort(logger: PowertoolsLogger, fields: LogFields = {}): Logger {
  return {
    debug: (message, extra) => logger.debug(message, { ...fields, ...extra }),
    info: (message, extra) => logger.info(message, { ...fields, ...extra }),
    warn: (message, extra) => logger.warn(message, { ...fields, ...extra }),
    error: (message, extra) => logger.error(message, { ...fields, ...extra }),
    child: (more) => loggerPort(logger, { ...fields, ...more }),
    appendKeys: (keys) => logger.appendKeys(keys),
    setCorrelationId: (id) => logger.setCorrelationId(id),
  };
}

type LambdaHandler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * A handler with the Powertools conventions around each invocation: the Lambda context on
 * every log line (cold_start, function_request_id, xray_trace_id), the ColdStart metric once a
 * container, a trace segment when tracing is on (with the AWS clients captured), and the
 * invocation's keys cleared after it, so a warm container never carries one run's identity
 * into the next.
 */
export function instrument<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
  observability: ReturnType<typeof createObservability>,
  clients: TracedClients = [],
): LambdaHandler<E, R> {
  const { serviceName, logger, metrics } = observability;
  return async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric(context?.functionName);
    const trace = await tracing(serviceName, clients);
    try {
      return await trace.around(() => handler(event, context));
    } finally {
      logger.resetKeys();
    }
  };
}
