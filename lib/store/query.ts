// Queries of one partition, page after page: the one paging loop of the adapter.
import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { type Db, sendOptions } from "./db.ts";
import { lookupIndex } from "./keys.ts";

export interface PartitionQuery {
  pk: string;
  /** Only the items whose sort key starts with it. */
  prefix?: string | undefined;
  /** Only the items whose sort key lies between these two, both included (instead of `prefix`). */
  between?: [string, string] | undefined;
  filter?:
    | { expression: string; names?: Record<string, string>; values: Record<string, unknown> }
    | undefined;
  /** COUNT: the items' number only; or the attributes to read. */
  select?: "COUNT" | { attributes: string[] } | undefined;
  /**
   * The lookup index's partition `pk` instead of the table's (lib/store/keys.ts): eventually consistent,
   * so its entries only name candidates to read again by key.
   */
  lookup?: { newestFirst?: boolean | undefined } | undefined;
  /** At most that many items, in one request: a read that cannot grow. */
  limit?: number | undefined;
}

function inputOf(db: Db, query: PartitionQuery): QueryCommandInput {
  const { prefix, between, filter, select, lookup } = query;
  const projected = select && select !== "COUNT" ? select.attributes : undefined;
  const names = {
    ...filter?.names,
    ...Object.fromEntries((projected ?? []).map((name) => [`#${name}`, name])),
  };
  if (lookup) {
    return {
      TableName: db.table,
      IndexName: lookupIndex.name,
      KeyConditionExpression: `${lookupIndex.pk} = :pk`,
      ExpressionAttributeValues: { ":pk": query.pk },
      ...(projected ? { ProjectionExpression: projected.join(", ") } : {}),
      ...(query.limit ? { Limit: query.limit } : {}),
      ...(lookup.newestFirst ? { ScanIndexForward: false } : {}),
      // A global index is never strongly consistent: callers read each entry again by its key.
    };
  }
  return {
    TableName: db.table,
    KeyConditionExpression: between
      ? "pk = :pk AND sk BETWEEN :from AND :to"
      : prefix
        ? "pk = :pk AND begins_with(sk, :prefix)"
        : "pk = :pk",
    ExpressionAttributeValues: {
      ":pk": query.pk,
      ...(between ? { ":from": between[0], ":to": between[1] } : prefix ? { ":prefix": prefix } : {}),
      ...filter?.values,
    },
    ...(filter ? { FilterExpression: filter.expression } : {}),
    ...(query.limit ? { Limit: query.limit } : {}),
    ...(select === "COUNT" ? { Select: "COUNT" } : {}),
    ...(projected ? { ProjectionExpression: projected.map((name) => `#${name}`).join(", ") } : {}),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    // Strongly consistent: what these read decides money.
    ConsistentRead: true,
  };
}

/** Every page of the query, in order; with a `limit`, its first page only. */
export async function* queryPages(db: Db, query: PartitionQuery) {
  const input = inputOf(db, query);
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new QueryCommand({ ...input, ExclusiveStartKey }), sendOptions(db));
    yield page;
    ExclusiveStartKey = query.limit ? undefined : page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** Every item the query matches. */
export async function queryItems(db: Db, query: PartitionQuery): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(db, query)) items.push(...(page.Items ?? []));
  return items;
}

/** How many items the query matches. */
export async function queryCount(db: Db, query: Omit<PartitionQuery, "select">): Promise<number> {
  let count = 0;
  for await (const page of queryPages(db, { ...query, select: "COUNT" })) count += page.Count ?? 0;
  return count;
}
