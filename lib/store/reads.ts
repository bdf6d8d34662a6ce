// Every read the accept use case makes. All are strongly consistent: they decide money.
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type * as v from "valibot";
import * as E from "../domain/entities.ts";
import {
  OrderAddressSchema,
  OrderDetailSchema,
  OrderSchema,
  type StoredOrder,
} from "../domain/order-records.ts";
import { DataFault } from "../errors.ts";
import { type Db, parseItem, sendOptions } from "./db.ts";
import { type Key, keys, orderPartition, sortPrefix, userPartition } from "./keys.ts";

async function get<S extends v.GenericSchema>(db: Db, key: Key, schema: S, entity: string) {
  const { Item } = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: key, ConsistentRead: true }),
    sendOptions(db),
  );
  return parseItem(schema, Item, entity);
}

interface Filter {
  expression: string;
  names?: Record<string, string>;
  values: Record<string, unknown>;
}

/** A partition's items, those whose sort key starts with `prefix` when one is given. */
async function queryPartition(db: Db, pk: string, prefix?: string, filter?: Filter) {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: prefix ? "pk = :pk AND begins_with(sk, :prefix)" : "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk, ...(prefix ? { ":prefix": prefix } : {}), ...filter?.values },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
      sendOptions(db),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * An item in a user's partition (quotation, address, voucher) is that user's: its key says so. One whose
 * `user_id` names someone else (a bad import) is a data fault, not a refusal: the transaction's
 * `user_id = caller` conditions could never hold, and the customer would be told to retry forever.
 */
function ownedBy<T extends { user_id: number }>(
  userId: number,
  entity: string,
  item: T | undefined,
  key: { pk?: unknown; sk?: unknown },
): T | undefined {
  if (item && item.user_id !== userId) {
    throw new DataFault(entity, `${String(key.pk)}/${String(key.sk)}`, "user_id", "key_owner");
  }
  return item;
}

export const readSettings = (db: Db) => get(db, keys.settings(), E.SettingsSchema, "Settings");
export const readUser = (db: Db, id: number) => get(db, keys.user(id), E.UserSchema, "User");
export const readUserGroup = (db: Db, id: number) =>
  get(db, keys.userGroup(id), E.UserGroupSchema, "UserGroup");
export const readGoods = (db: Db, id: number) => get(db, keys.goods(id), E.GoodsSchema, "Goods");
export const readCoupon = (db: Db, id: number) => get(db, keys.coupon(id), E.CouponSchema, "Coupon");
export async function readAddress(db: Db, userId: number, id: number) {
  const key = keys.address(userId, id);
  return ownedBy(userId, "Address", await get(db, key, E.AddressSchema, "Address"), key);
}
export async function readQuotation(db: Db, userId: number, id: number) {
  const key = keys.commOrder(userId, id);
  return ownedBy(userId, "CommOrder", await get(db, key, E.CommOrderSchema, "CommOrder"), key);
}
export async function readVoucher(db: Db, userId: number, id: number) {
  const key = keys.couponCode(userId, id);
  return ownedBy(userId, "CouponCode", await get(db, key, E.CouponCodeSchema, "CouponCode"), key);
}

export async function hasCouponUse(db: Db, couponId: number, userId: number): Promise<boolean> {
  const { Item } = await db.doc.send(
    new GetCommand({
      TableName: db.table,
      Key: keys.couponUse(couponId, userId),
      ConsistentRead: true,
      ProjectionExpression: "pk",
    }),
    sendOptions(db),
  );
  return Item !== undefined;
}

/** The caller's quotations for one product that are quoted (2) or accepted (3). */
export async function findLiveQuotations(db: Db, userId: number, goodsId: number) {
  const items = await queryPartition(db, userPartition(userId), sortPrefix.commOrder, {
    expression: "#status IN (:quoted, :accepted) AND archive_id = :goods",
    names: { "#status": "status" }, // a reserved word
    values: { ":quoted": 2, ":accepted": 3, ":goods": goodsId },
  });
  return items.flatMap(
    (item) => ownedBy(userId, "CommOrder", parseItem(E.CommOrderSchema, item, "CommOrder"), item) ?? [],
  );
}

/** The caller's vouchers with this code: a user may hold several with one code (rule 6, docs/accept.md). */
export async function findVouchersByCode(db: Db, userId: number, code: string) {
  const items = await queryPartition(db, userPartition(userId), sortPrefix.couponCode, {
    expression: "code = :code",
    values: { ":code": code },
  });
  return items.flatMap(
    (item) => ownedBy(userId, "CouponCode", parseItem(E.CouponCodeSchema, item, "CouponCode"), item) ?? [],
  );
}

/** An order with its detail line and address snapshot: one partition, one query. */
export async function readOrder(db: Db, orderNumber: string): Promise<StoredOrder | undefined> {
  const items = await queryPartition(db, orderPartition(orderNumber));
  const order = parseItem(
    OrderSchema,
    items.find((item) => item.entity === "Order"),
    "Order",
  );
  if (!order) return undefined;
  return {
    order,
    details: items
      .filter((item) => item.entity === "OrderDetail")
      .flatMap((item) => parseItem(OrderDetailSchema, item, "OrderDetail") ?? []),
    address: parseItem(
      OrderAddressSchema,
      items.find((item) => item.entity === "OrderAddress"),
      "OrderAddress",
    ),
  };
}
