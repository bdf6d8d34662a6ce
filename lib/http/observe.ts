// One log line and one metrics blob per request, whatever its outcome. Outside the envelope: it sees
// the final answer and runs exactly once, in `after` or in `onError`.
import type { MiddlewareObj, Request } from "@middy/core";
import { newTrace } from "../accept/trace.ts";
import { Code, Refusal } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type Metrics, MetricUnit } from "../metrics.ts";
import type { ContextSoFar, RequestContext } from "./context.ts";
import { dataFaultIn, reasonOf } from "./reason.ts";

/** Outermost, observe runs first and sets the trace, whichever middleware fails after it. */
type ObservedContext = ContextSoFar & Pick<RequestContext, "trace">;

type OutcomeCode = 0 | typeof Code.error | typeof Code.notLoggedIn | typeof Code.unauthorised | 503;

/** Per outcome, the metric that counts it and the `outcome` of the log line; 503 is the HTTP 503 answer. */
const OUTCOMES: Record<OutcomeCode, { metric: string; name: string }> = {
  0: { metric: "Accepted", name: "accepted" },
  [Code.error]: { metric: "Refused", name: "refused" },
  [Code.notLoggedIn]: { metric: "NotLoggedIn", name: "not_logged_in" },
  [Code.unauthorised]: { metric: "Unauthorised", name: "unauthorised" },
  503: { metric: "Unavailable", name: "unavailable" },
};

function outcomeCode(error: unknown): OutcomeCode {
  if (error === undefined) return 0;
  return error instanceof Refusal ? error.code : 503;
}

export function observe(deps: {
  logger: Logger;
  metrics: Metrics;
}): MiddlewareObj<unknown, unknown, Error, ObservedContext> {
  const { logger, metrics } = deps;

  /** When each request in flight started; a request leaves the map when it is recorded. */
  const started = new WeakMap<object, number>();

  const record = (request: Request<unknown, unknown, Error, ObservedContext>) => {
    const start = started.get(request);
    if (start === undefined) return; // an `after` that threw sends us to `onError`: count once
    started.delete(request);
    const { context } = request;
    const { trace } = context;
    const durationMs = Math.round(performance.now() - start);
    const error = request.error ?? undefined;
    const code = outcomeCode(error);
    const dataFault = dataFaultIn(error);
    const transactionRetries = Math.max(0, trace.transactionAttempts - 1);

    // Synchronously, add then publish: concurrent invocations in one process never mix their counts.
    metrics.addMetric("Requests", MetricUnit.Count, 1);
    metrics.addMetric(OUTCOMES[code].metric, MetricUnit.Count, 1);
    metrics.addMetric("Replays", MetricUnit.Count, trace.replayed ? 1 : 0);
    metrics.addMetric("TransactionRetries", MetricUnit.Count, transactionRetries);
    metrics.addMetric("DataFaults", MetricUnit.Count, dataFault ? 1 : 0);
    metrics.addMetric("Latency", MetricUnit.Milliseconds, durationMs);
    // Metadata, not a dimension: ties the blob to the request's log lines at no metric cost.
    metrics.addMetadata("requestId", context.awsRequestId);
    metrics.publishStoredMetrics();

    const line = {
      outcome: code === 0 && trace.replayed ? "replayed" : OUTCOMES[code].name,
      status: code === 503 ? 503 : 200,
      code: code === 503 ? Code.error : code,
      reason: reasonOf(error),
      userId: context.userId,
      quotationId: trace.quotationId ?? context.input?.commOrderId,
      orderNumber: trace.orderNumber,
      transactionRetries,
      durationMs,
      ...(dataFault
        ? { dataFault: { entity: dataFault.entity, path: dataFault.path, kind: dataFault.kind } }
        : {}),
    };
    if (code === 503) logger.error("request", line);
    else logger.info("request", line);
  };

  return {
    name: "observe",
    before: (request) => {
      started.set(request, performance.now());
      request.context.trace = newTrace();
    },
    after: record,
    onError: record,
  };
}
