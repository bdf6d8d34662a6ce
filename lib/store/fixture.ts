// Fixture files (docs/data-model.md): validated whole before anything is written, then loaded with the
// project's own keys, never over an item that exists (unless asked to replace, locally).
import { setTimeout as sleep } from "node:timers/promises";
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import * as v from "valibot";
import { type Db, readCancellation } from "./db.ts";
import { describeFixtureIssue } from "./fixture-issue.ts";
import type { Key } from "./keys.ts";
import { type Entity, itemOf, model } from "./model.ts";

/** The fixture's lists, each of one entity (docs/data-model.md, "Fixture files"). */
const lists = {
  user_groups: model.userGroup,
  users: model.user,
  goods: model.goods,
  comm_orders: model.commOrder,
  addresses: model.address,
  coupons: model.coupon,
  coupon_codes: model.couponCode,
} as const;

type ListName = keyof typeof lists;

const FixtureSchema = v.strictObject({
  settings: v.optional(model.settings.schema),
  ...(Object.fromEntries(
    Object.entries(lists).map(([name, { schema }]) => [name, v.optional(v.array(schema))]),
  ) as {
    [K in ListName]: v.OptionalSchema<v.ArraySchema<(typeof lists)[K]["schema"], undefined>, undefined>;
  }),
});

export interface FixtureItem extends Key {
  entity: string;
  [attribute: string]: unknown;
}

export class FixtureError extends Error {
  override name = "FixtureError";
}

/** Every item the fixture describes, or a FixtureError naming the entity, the index and the field. */
export function parseFixture(document: unknown): FixtureItem[] {
  const result = v.safeParse(FixtureSchema, document);
  if (!result.success) {
    throw new FixtureError(describeFixtureIssue(result.issues[0], Object.keys(FixtureSchema.entries)));
  }
  const fixture = result.output;
  const items: FixtureItem[] = [];
  if (fixture.settings) items.push(itemOf(model.settings, fixture.settings));
  for (const name of Object.keys(lists) as ListName[]) {
    const of: Entity = lists[name];
    const seen = new Map<string, number>();
    (fixture[name] ?? []).forEach((record, index) => {
      const item = itemOf(of, record);
      const id = `${item.pk}/${item.sk}`;
      const first = seen.get(id);
      if (first !== undefined)
        throw new FixtureError(`fixture ${name}[${index}].id: duplicates ${name}[${first}]`);
      seen.set(id, index);
      items.push(item);
    });
  }
  return items;
}

const TRANSACTION_LIMIT = 100;
/** Tries of one chunk cancelled only transiently (another writer held an item, or throttling). */
const TRANSIENT_TRIES = 5;

export interface LoadOptions {
  /** Overwrite items that already exist. Callers allow it against a local endpoint only. */
  replace?: boolean;
}

export interface LoadReport {
  /** Items that did not exist and were written. */
  written: number;
  /** Items that already existed and were left exactly as they were. */
  skipped: number;
  /** Items that already existed and were overwritten (only with `replace`). */
  replaced: number;
}

/**
 * Writes `chunk` (at most 100 items) in one transaction, each put conditioned on its item being absent
 * unless `overwrite`. A transaction is cancelled whole when one condition fails, so the cancellation
 * reasons (in TransactItems order) name the items that exist: they are set aside and the rest is sent
 * again, until it goes through. Returns the items set aside.
 */
async function putChunk(db: Db, chunk: FixtureItem[], overwrite: boolean): Promise<FixtureItem[]> {
  let pending = chunk;
  const existing: FixtureItem[] = [];
  let transientTries = 0;
  while (pending.length > 0) {
    try {
      await db.doc.send(
        new TransactWriteCommand({
          TransactItems: pending.map((Item) => ({
            Put: {
              TableName: db.table,
              Item,
              ...(overwrite ? {} : { ConditionExpression: "attribute_not_exists(pk)" }),
            },
          })),
        }),
      );
      break;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const { transient, conditionFailed: exists } = readCancellation(error);
      if (!transient && !pending.some((_, index) => exists(index))) throw error;
      if (transient && ++transientTries >= TRANSIENT_TRIES) throw error;
      existing.push(...pending.filter((_, index) => exists(index)));
      pending = pending.filter((_, index) => !exists(index));
      if (transient) await sleep(50 * 2 ** transientTries);
    }
  }
  return existing;
}

/**
 * Loads parsed fixture items: put-if-absent, so that loading again never rewinds live data (an accepted
 * quotation, a spent voucher, a coupon's count stay as they are). Up to 100 absent items go in one
 * transaction: a fixture of up to 100 items loads entirely or not at all.
 */
export async function loadFixture(
  db: Db,
  items: FixtureItem[],
  options: LoadOptions = {},
): Promise<LoadReport> {
  const report: LoadReport = { written: 0, skipped: 0, replaced: 0 };
  for (let start = 0; start < items.length; start += TRANSACTION_LIMIT) {
    const chunk = items.slice(start, start + TRANSACTION_LIMIT);
    const existing = await putChunk(db, chunk, false);
    report.written += chunk.length - existing.length;
    if (options.replace && existing.length > 0) {
      await putChunk(db, existing, true);
      report.replaced += existing.length;
    } else {
      report.skipped += existing.length;
    }
  }
  return report;
}
