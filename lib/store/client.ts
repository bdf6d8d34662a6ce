import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface ClientOptions {
  endpoint?: string | undefined;
  /** Extra SDK middleware hooks; tests use them to inject faults. */
  configure?: (client: DynamoDBClient) => void;
}

// API Gateway gives the Lambda at most 30 s; each attempt must fail fast enough that the SDK's
// retries and our 503 all land well inside the Lambda's own timeout.
const requestHandler = new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 1_000 });

export function createDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    requestHandler,
    maxAttempts: 3,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // DynamoDB Local still wants a region and credentials; any values do.
          region: process.env.AWS_REGION ?? "us-east-1",
          credentials: {
            accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
            secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
          },
        }
      : {}),
  });
  options.configure?.(client);
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
