import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceNotFoundException,
  UpdateTableCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { lookupIndex } from "./keys.ts";
import { reindexLookups } from "./reindex.ts";

/** The lookup index (lib/store/keys.ts): keys only, since every entry found is read again by its key. */
const lookup = {
  IndexName: lookupIndex.name,
  KeySchema: [
    { AttributeName: lookupIndex.pk, KeyType: "HASH" },
    { AttributeName: lookupIndex.sk, KeyType: "RANGE" },
  ],
  Projection: { ProjectionType: "KEYS_ONLY" },
} satisfies GlobalSecondaryIndex;

/**
 * The table's shape; serverless.yml declares the same for AWS. One table, one sparse secondary index
 * (lookup), and a stream of new images: the OrderAccepted pipe reads it on AWS, the tests read it locally.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: lookupIndex.pk, AttributeType: "S" },
      { AttributeName: lookupIndex.sk, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [lookup],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
  };
}

/** Waits for the lookup index to finish building (writes to the table fail meanwhile, locally). */
async function indexActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find(({ IndexName }) => IndexName === lookup.IndexName);
    if (index?.IndexStatus === "ACTIVE") return;
    await sleep(100);
  }
  throw new Error(`the ${lookup.IndexName} index of ${tableName} did not become active within a minute`);
}

/**
 * Creates the table when it is missing; returns whether it did. A local table kept from an earlier
 * version (DYNAMODB_PATH) gets what it lacks: its stream turned on, the lookup index created and its
 * items given their lookup keys. Only for local tables: on AWS the stack owns the table.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const definition = tableDefinition(tableName);
    if (!Table?.StreamSpecification?.StreamEnabled) {
      const { StreamSpecification } = definition;
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification }));
    }
    if (!Table?.GlobalSecondaryIndexes?.some((index) => index.IndexName === lookup.IndexName)) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: definition.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: lookup }],
        }),
      );
      await indexActive(client, tableName);
      await reindexLookups({ doc: DynamoDBDocumentClient.from(client), table: tableName });
    }
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  return true;
}
