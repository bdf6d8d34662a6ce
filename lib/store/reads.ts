// Every read of the accept, each parsed as its entity (lib/store/model.ts). All are strongly consistent:
// they decide money.
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type * as v from "valibot";
import type { CommOrder } from "../domain/entities.ts";
import type { StoredOrder } from "../domain/order-records.ts";
import { RETRY_CANDIDATES } from "../domain/quotation.ts";
import { QuotationStatus } from "../domain/statuses.ts";
import { DataFault } from "../errors.ts";
import { type Db, sendOptions } from "./db.ts";
import { type Key, keys, lookupPartition, orderPartition, userPartition } from "./keys.ts";
import { type Entity, model, parseAs } from "./model.ts";
import { type PartitionQuery, queryItems } from "./query.ts";

async function get<S extends v.GenericSchema>(db: Db, of: Entity<S>, key: Key) {
  const { Item } = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: key, ConsistentRead: true }),
    sendOptions(db),
  );
  return parseAs(of, Item);
}

/**
 * An item in a user's partition (quotation, address, voucher) is that user's: its key says so. One whose
 * `user_id` names someone else (a bad import) is a data fault, not a refusal: the transaction's
 * `user_id = caller` conditions could never hold, and the customer would be told to retry forever.
 */
function ownedBy<T extends { user_id: number }>(
  userId: number,
  of: { name: string },
  item: T | undefined,
  key: { pk?: unknown; sk?: unknown },
): T | undefined {
  if (item && item.user_id !== userId) {
    throw new DataFault(of.name, `${String(key.pk)}/${String(key.sk)}`, "user_id", "key_owner");
  }
  return item;
}

/** An item of the caller's partition, by its key. */
async function getOwned<S extends v.GenericSchema<unknown, { user_id: number }>>(
  db: Db,
  of: Entity<S>,
  userId: number,
  key: Key,
) {
  return ownedBy(userId, of, await get(db, of, key), key);
}

export const readSettings = (db: Db) => get(db, model.settings, keys.settings());
export const readUser = (db: Db, id: number) => get(db, model.user, keys.user(id));
export const readUserGroup = (db: Db, id: number) => get(db, model.userGroup, keys.userGroup(id));
export const readGoods = (db: Db, id: number) => get(db, model.goods, keys.goods(id));
export const readCoupon = (db: Db, id: number) => get(db, model.coupon, keys.coupon(id));
export const readAddress = (db: Db, userId: number, id: number) =>
  getOwned(db, model.address, userId, keys.address(userId, id));
export const readQuotation = (db: Db, userId: number, id: number) =>
  getOwned(db, model.commOrder, userId, keys.commOrder(userId, id));
export const readVoucher = (db: Db, userId: number, id: number) =>
  getOwned(db, model.couponCode, userId, keys.couponCode(userId, id));

/** Whether an item is there, reading its key only. */
export async function itemExists(db: Db, key: Key): Promise<boolean> {
  const { Item } = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: key, ConsistentRead: true, ProjectionExpression: "pk" }),
    sendOptions(db),
  );
  return Item !== undefined;
}

export const hasCouponUse = (db: Db, couponId: number, userId: number) =>
  itemExists(db, keys.couponUse(couponId, userId));

export const readCouponTickets = (db: Db, couponId: number) =>
  get(db, model.couponTickets, keys.couponTickets(couponId));

/**
 * The caller's items the lookup index lists under `pk`, each read again by its key (strongly consistent:
 * the index lags behind the table, so it only names candidates). An entry naming another user's
 * partition is never the caller's and is not read.
 */
async function lookedUp<S extends v.GenericSchema<unknown, { user_id: number }>>(
  db: Db,
  of: Entity<S>,
  userId: number,
  pk: string,
  { limit, newestFirst }: Pick<PartitionQuery, "limit"> & NonNullable<PartitionQuery["lookup"]> = {},
) {
  const entries = await queryItems(db, {
    pk,
    lookup: { newestFirst },
    limit,
    select: { attributes: ["pk", "sk"] },
  });
  const mine = entries.filter((entry) => entry.pk === userPartition(userId) && typeof entry.sk === "string");
  const items = await Promise.all(
    mine.map((entry) => getOwned(db, of, userId, { pk: userPartition(userId), sk: String(entry.sk) })),
  );
  return items.flatMap((item) => item ?? []);
}

/**
 * How many quoted entries are read: two tell "one" from "several" (rule 4); the third absorbs an entry
 * the index has not yet moved for a quotation accepted a moment ago.
 */
const QUOTED_CANDIDATES = 3;

/**
 * The caller's quotations for one product that are quoted, and the last ones accepted: what the choice of
 * rule 4 and a retry by goods_id need (lib/domain/quotation.ts), found through the lookup index, so that
 * the read stays the same size however many other quotations the caller has (at most 3 + 3 entries, each
 * read again by key).
 */
export async function findLiveQuotations(db: Db, userId: number, goodsId: number) {
  const found = await Promise.all([
    lookedUp(db, model.commOrder, userId, lookupPartition.quoted(userId, goodsId), {
      limit: QUOTED_CANDIDATES,
    }),
    // The newest accepted ones: the latest for rule 4, and those a retry by goods_id compares itself with.
    lookedUp(db, model.commOrder, userId, lookupPartition.accepted(userId, goodsId), {
      limit: RETRY_CANDIDATES,
      newestFirst: true,
    }),
  ]);
  // As the table says now, not as the index said: a stale entry may name a quotation since changed.
  const live = new Map<number, CommOrder>();
  for (const quotation of found.flat()) {
    const { status } = quotation;
    const isLive = status === QuotationStatus.quoted || status === QuotationStatus.accepted;
    if (isLive && quotation.archive_id === goodsId) live.set(quotation.id, quotation);
  }
  return [...live.values()];
}

/**
 * The caller's vouchers with this code: a user may hold several with one code (rule 6, docs/accept.md).
 * Through the lookup index, by owner and code: the read does not grow with the caller's other vouchers.
 */
export async function findVouchersByCode(db: Db, userId: number, code: string) {
  const vouchers = await lookedUp(db, model.couponCode, userId, lookupPartition.vouchers(userId, code));
  return vouchers.filter((voucher) => voucher.code === code);
}

/** An order with its detail line and address snapshot: one partition, one query. */
export async function readOrder(db: Db, orderNumber: string): Promise<StoredOrder | undefined> {
  const items = await queryItems(db, { pk: orderPartition(orderNumber) });
  const ofEntity = (of: { name: string }) => items.filter((item) => item.entity === of.name);
  const order = parseAs(model.order, ofEntity(model.order)[0]);
  if (!order) return undefined;
  return {
    order,
    details: ofEntity(model.orderDetail).flatMap((item) => parseAs(model.orderDetail, item) ?? []),
    address: parseAs(model.orderAddress, ofEntity(model.orderAddress)[0]),
  };
}
