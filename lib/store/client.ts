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
}

// Each attempt fails fast enough that the SDK's three attempts and their backoff end before the handler's
// own 503, 500 ms before the 6 s Lambda timeout (docs/operations.md, "Limits and timeouts").
const requestHandler = new NodeHttpHandler({
  connectionTimeout: 500,
  requestTimeout: 1_000,
  // Without it a request timeout only logs a warning and the call waits on (smithy's default).
  throwOnRequestTimeout: true,
});

export function createDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    requestHandler,
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
