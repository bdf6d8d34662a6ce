import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { environmentCredentials, localCredentials } from "../aws/credentials.ts";

export interface ClientOptions {
  endpoint?: string | undefined;
  /**
   * Where credentials come from away from a local endpoint: `environment` on Lambda (the handler), the
   * SDK's default chain (profiles, SSO...) for scripts an operator runs against AWS, such as the seed.
   */
  credentials?: "environment" | "default";
  /** Extra SDK middleware hooks; tests use them to inject faults. */
  configure?: (client: DynamoDBClient) => void;
  /** Per-attempt limits; by default AWS_TIMEOUTS, or LOCAL_TIMEOUTS against a local endpoint. */
  timeouts?: Timeouts;
}

export interface Timeouts {
  connectionMs: number;
  requestMs: number;
}

// Each attempt fails fast enough that the SDK's three attempts and their backoff end before the handler's
// own 503, 500 ms before the 6 s Lambda timeout (docs/operations.md, "Limits and timeouts").
export const AWS_TIMEOUTS: Timeouts = { connectionMs: 500, requestMs: 1_000 };
// DynamoDB Local is one Java process: with two test suites on a 2-core machine one call was seen to take
// more than 15 s, which says nothing about DynamoDB. Local runs wait for it (a dead process still ends the
// call); the handler's own deadline still applies, and the deadlines tests pin AWS_TIMEOUTS.
const LOCAL_TIMEOUTS: Timeouts = { connectionMs: 10_000, requestMs: 60_000 };

/** One handler (and its connection pool) per pair of limits, shared by the clients that use it. */
const handlers = new Map<string, NodeHttpHandler>();
function requestHandler(timeouts: Timeouts): NodeHttpHandler {
  const key = `${timeouts.connectionMs}/${timeouts.requestMs}`;
  let handler = handlers.get(key);
  if (!handler) {
    handler = new NodeHttpHandler({
      connectionTimeout: timeouts.connectionMs,
      requestTimeout: timeouts.requestMs,
      // Without it a request timeout only logs a warning and the call waits on (smithy's default).
      throwOnRequestTimeout: true,
    });
    handlers.set(key, handler);
  }
  return handler;
}

export function createDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    requestHandler: requestHandler(options.timeouts ?? (options.endpoint ? LOCAL_TIMEOUTS : AWS_TIMEOUTS)),
    maxAttempts: 3,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // DynamoDB Local still wants a region and credentials; any values do.
          region: process.env.AWS_REGION ?? "us-east-1",
          credentials: localCredentials(),
        }
      : options.credentials === "environment"
        ? { credentials: environmentCredentials }
        : {}),
  });
  options.configure?.(client);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
