// The import-time baseline (docs/accept.md, rule 10): a naive bundle of the DynamoDB document client alone, built with
// the deploy flags but none of the project's trimming, creating its client at import as a handler would.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
