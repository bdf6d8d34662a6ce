// Reads a local table's DynamoDB stream whole (DynamoDB Local keeps it like AWS does), as the records
// an EventBridge Pipe receives: the stream record's JSON, numbers as DynamoDB's text.
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import type { Shop } from "./shop.ts";

/** DynamoDB JSON; the SDK's shapes are the wire's for every type this table stores (no binary). */
type Image = Record<string, AttributeValue>;

export interface StreamRecord {
  eventID: string;
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  eventSource: "aws:dynamodb";
  eventSourceARN: string;
  dynamodb: {
    Keys: Image;
    NewImage?: Image;
    SequenceNumber: string;
    StreamViewType: string;
  };
}

export async function readStream(shop: Shop): Promise<StreamRecord[]> {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const { Table } = await shop.doc.send(new DescribeTableCommand({ TableName: shop.table }));
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${shop.table} has no stream`);
  const streams = new DynamoDBStreamsClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: StreamRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      // An open shard hands out iterators forever: stop at the first empty page.
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        if (!page.Records?.length) break;
        for (const record of page.Records) {
          records.push({
            eventID: String(record.eventID),
            eventName: record.eventName as StreamRecord["eventName"],
            eventSource: "aws:dynamodb",
            eventSourceARN: streamArn,
            dynamodb: {
              Keys: record.dynamodb?.Keys ?? {},
              ...(record.dynamodb?.NewImage ? { NewImage: record.dynamodb.NewImage } : {}),
              SequenceNumber: String(record.dynamodb?.SequenceNumber),
              StreamViewType: String(record.dynamodb?.StreamViewType),
            },
          });
        }
        iterator = page.NextShardIterator;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
}
