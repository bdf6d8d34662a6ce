// CloudWatch metrics in the embedded metric format (EMF): Powertools prints one JSON blob per request
// to stdout and CloudWatch Logs turns it into metrics, with no API call on the request path.
// Dimensions are low-cardinality only (service and stage): never a user, quotation or order id.
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

export type { Metrics };
export { MetricUnit };

/** The namespace the alarms in serverless.yml read. */
export const METRICS_NAMESPACE = "AnqiCMS/OrderAccept";
export const SERVICE_NAME = "anqicms-order-accept";

export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: SERVICE_NAME,
  // serverless.yml sets STAGE; local runs and tests report as "local".
  defaultDimensions: { stage: process.env.STAGE?.trim() || "local" },
});
