// The smallest shared surface of the DynamoDB adapter: one client, one table, one abort signal.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as v from "valibot";
import { PlatformFault } from "../errors.ts";

export interface Db {
  doc: DynamoDBDocumentClient;
  table: string;
  /** Aborts in-flight calls when the handler gives up before the Lambda deadline. */
  signal?: AbortSignal | undefined;
}

export const sendOptions = (db: Db) => (db.signal ? { abortSignal: db.signal } : undefined);

/** Stored items are parsed, never cast: a malformed item is a platform fault, not a customer error. */
export function parseItem<S extends v.GenericSchema>(
  schema: S,
  item: Record<string, unknown> | undefined,
  entity: string,
): v.InferOutput<S> | undefined {
  if (!item) return undefined;
  const result = v.safeParse(schema, item);
  if (!result.success) {
    throw new PlatformFault(`stored ${entity} ${String(item.pk)}/${String(item.sk)} is malformed`, {
      cause: v.summarize(result.issues),
    });
  }
  return result.output;
}
