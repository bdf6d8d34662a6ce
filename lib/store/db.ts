// The smallest shared surface of the DynamoDB adapter: one client, one table, one abort signal.
import type { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import * as v from "valibot";
import { DataFault } from "../errors.ts";

export interface Db {
  doc: DynamoDBDocumentClient;
  table: string;
  /** Aborts in-flight calls when the handler gives up before the Lambda deadline. */
  signal?: AbortSignal | undefined;
}

export const sendOptions = (db: Db) => (db.signal ? { abortSignal: db.signal } : undefined);

/** `address.phone`, `skus[0].price`: where in the item a valibot issue is, keys and indexes only. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let path = "";
  for (const step of issue.path ?? []) {
    const key = "key" in step ? step.key : undefined;
    if (typeof key === "number") path += `[${key}]`;
    else if (typeof key === "string") path += path ? `.${key}` : key;
  }
  return path || "(item)";
}

/** Stored items are parsed, never cast: a malformed item is a platform fault, not a customer error. */
export function parseItem<S extends v.GenericSchema>(
  schema: S,
  item: Record<string, unknown> | undefined,
  entity: string,
): v.InferOutput<S> | undefined {
  if (!item) return undefined;
  const result = v.safeParse(schema, item);
  if (!result.success) {
    const [issue] = result.issues;
    throw new DataFault(entity, `${String(item.pk)}/${String(item.sk)}`, pathOf(issue), issue.type);
  }
  return result.output;
}

/** Cancellation reasons that say nothing about our conditions: the same transaction may succeed later. */
const TRANSIENT_REASONS = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
]);

/**
 * What a cancelled TransactWriteItems says: whether it was only transient (another transaction held an
 * item, or one was throttled), and which actions' conditions failed, by their position in TransactItems.
 */
export function readCancellation(error: TransactionCanceledException) {
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
  return {
    transient: codes.some((code) => TRANSIENT_REASONS.has(code)),
    conditionFailed: (index: number) => codes[index] === "ConditionalCheckFailed",
    transientAt: (index: number) => TRANSIENT_REASONS.has(codes[index] ?? "None"),
  };
}
