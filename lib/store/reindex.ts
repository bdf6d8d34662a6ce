// The lookup index's keys (lib/store/keys.ts) for items written without them: before the index existed,
// or by a writer that does not set them (docs/data-model.md, "The lookup index"). One scan; an update for
// each item whose keys differ from what its attributes say, conditioned on those attributes being as
// read, so that a change made meanwhile is never overwritten (the item is read again and redone).
import { GetCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import * as v from "valibot";
import type { Db } from "./db.ts";
import { type Key, type LookupKey, lookupIndex } from "./keys.ts";
import { type Entity, model } from "./model.ts";

/** The indexed entities, and the attributes their lookup keys are made from. */
const INDEXED: { of: Entity; from: string[] }[] = [
  { of: model.commOrder, from: ["user_id", "archive_id", "status", "accepted_time"] },
  { of: model.couponCode, from: ["user_id", "code"] },
];

export interface ReindexReport {
  /** Quotations and vouchers read. */
  scanned: number;
  /** Given the keys their attributes call for (or had stale ones removed). */
  updated: number;
  /** Items failing their entity's schema (data faults): left alone, each a 503 when an accept reads it. */
  malformed: number;
}

type Item = Record<string, unknown>;

/** The lookup keys an item's attributes call for; undefined when it is in no index partition. */
function lookupFor(indexed: (typeof INDEXED)[number], item: Item): LookupKey | undefined | "malformed" {
  const parsed = v.safeParse(indexed.of.schema, item);
  return parsed.success ? indexed.of.lookupOf?.(parsed.output) : "malformed";
}

/** Sets (or removes) the item's lookup keys if its source attributes are still as read. */
function update(db: Db, indexed: (typeof INDEXED)[number], item: Item, wanted: LookupKey | undefined) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const unchanged = indexed.from.map((attribute, i) => {
    names[`#a${i}`] = attribute;
    if (item[attribute] === undefined) return `attribute_not_exists(#a${i})`;
    values[`:a${i}`] = item[attribute];
    return `#a${i} = :a${i}`;
  });
  if (wanted) Object.assign(values, { ":lpk": wanted.lookup_pk, ":lsk": wanted.lookup_sk });
  return db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: wanted
        ? `SET ${lookupIndex.pk} = :lpk, ${lookupIndex.sk} = :lsk`
        : `REMOVE ${lookupIndex.pk}, ${lookupIndex.sk}`,
      ConditionExpression: ["attribute_exists(pk)", ...unchanged].join(" AND "),
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    }),
  );
}

/** Brings one item's lookup keys in line with its attributes; whether it had to change them. */
async function reindexItem(db: Db, indexed: (typeof INDEXED)[number], first: Item) {
  let item: Item | undefined = first;
  for (let attempt = 0; item && attempt < 5; attempt++) {
    const wanted = lookupFor(indexed, item);
    if (wanted === "malformed") return "malformed";
    if (item[lookupIndex.pk] === wanted?.lookup_pk && item[lookupIndex.sk] === wanted?.lookup_sk) {
      return attempt === 0 ? "unchanged" : "updated";
    }
    try {
      await update(db, indexed, item, wanted);
      return "updated";
    } catch (error) {
      if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      const Key: Key = { pk: String(item.pk), sk: String(item.sk) };
      ({ Item: item } = await db.doc.send(
        new GetCommand({ TableName: db.table, Key, ConsistentRead: true }),
      ));
    }
  }
  if (!item) return "unchanged"; // deleted meanwhile
  throw new Error(`${String(first.pk)}/${String(first.sk)} kept changing while its lookup keys were set`);
}

export async function reindexLookups(db: Db): Promise<ReindexReport> {
  const report: ReindexReport = { scanned: 0, updated: 0, malformed: 0 };
  const entities = INDEXED.map(({ of }) => of.name);
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        FilterExpression: `entity IN (${entities.map((_, i) => `:e${i}`).join(", ")})`,
        ExpressionAttributeValues: Object.fromEntries(entities.map((name, i) => [`:e${i}`, name])),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const indexed = INDEXED.find(({ of }) => of.name === item.entity);
      if (!indexed) continue;
      report.scanned += 1;
      const outcome = await reindexItem(db, indexed, item);
      if (outcome === "updated") report.updated += 1;
      if (outcome === "malformed") report.malformed += 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return report;
}
