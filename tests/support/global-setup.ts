// node --test --test-global-setup: one DynamoDB Local (the official jar) for the whole run.
// Every test file makes its own table in it, so files run in parallel without touching each other.
import { type DynamoDbLocal, startDynamoDbLocal } from "../../scripts/dynamodb-local.ts";

let local: DynamoDbLocal | undefined;

export async function globalSetup(): Promise<void> {
  if (process.env.DYNAMODB_ENDPOINT) return; // an already running DynamoDB was named
  local = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
}

export async function globalTeardown(): Promise<void> {
  await local?.stop();
}
