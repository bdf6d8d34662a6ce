// A campaign coupon's ticket counter and holds on DynamoDB (lib/domain/coupon-stock.ts): every call
// reads or writes one item, or one page of the holds partition; none reads the units sold.
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { PutCommand, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import type { TicketTaken } from "../accept/store.ts";
import { HOLDS_READ, type UnitHold } from "../domain/coupon-stock.ts";
import type { Coupon } from "../domain/entities.ts";
import { type Db, sendOptions } from "./db.ts";
import { couponHoldPartition, couponUnitPartition, keys, sortPrefix } from "./keys.ts";
import { itemOf, model, parseAs } from "./model.ts";
import { queryCount, queryItems } from "./query.ts";
import { readCoupon } from "./reads.ts";

/** Sends a conditional update: false when its condition failed, the old item (as stored) with it. */
async function conditionally(db: Db, input: Omit<UpdateCommandInput, "TableName">) {
  try {
    const { Attributes } = await db.doc.send(
      new UpdateCommand({ TableName: db.table, ...input }),
      sendOptions(db),
    );
    return { done: true as const, attributes: Attributes };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { done: false as const, old: error.Item };
    throw error;
  }
}

/** A number attribute of an item returned with a failed condition (raw AttributeValues, not unmarshalled). */
const numberIn = (item: Record<string, unknown> | undefined, name: string) => {
  const value = item?.[name] as { N?: string } | undefined;
  return Number(value?.N ?? 0);
};

/**
 * The coupon's next ticket: its unit number. With `cap`, only while fewer than `cap` were taken; when
 * none is left, the counter as it stood, from the failed update itself (no read).
 */
export async function takeTicket(
  db: Db,
  couponId: number,
  cap: number | undefined,
  now: number,
): Promise<TicketTaken> {
  const taken = await conditionally(db, {
    Key: keys.couponTickets(couponId),
    UpdateExpression: "ADD issued :one SET taken_time = :now, coupon_id = :coupon, entity = :entity",
    ...(cap === undefined ? {} : { ConditionExpression: "attribute_not_exists(issued) OR issued < :cap" }),
    ExpressionAttributeValues: {
      ":one": 1,
      ":now": now,
      ":coupon": couponId,
      ":entity": model.couponTickets.name,
      ...(cap === undefined ? {} : { ":cap": cap }),
    },
    ReturnValues: "UPDATED_NEW",
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  });
  if (taken.done) return { unit: Number(taken.attributes?.issued) };
  return {
    exhausted: { issued: numberIn(taken.old, "issued"), takenTime: numberIn(taken.old, "taken_time") },
  };
}

const holdRecord = (hold: UnitHold) => ({
  coupon_id: hold.couponId,
  unit: hold.unit,
  holder: hold.holder,
  until: hold.until,
});

/** Holds a ticket just taken: nobody else has it, so no condition. */
export async function holdUnit(db: Db, hold: UnitHold): Promise<void> {
  await db.doc.send(
    new PutCommand({ TableName: db.table, Item: itemOf(model.couponHold, holdRecord(hold)) }),
    sendOptions(db),
  );
}

/** Gives a held ticket back (its order will not be written): the next customer refused a ticket takes it. */
export async function releaseHold(db: Db, hold: UnitHold): Promise<void> {
  await conditionally(db, {
    Key: keys.couponHold(hold.couponId, hold.unit),
    UpdateExpression: "SET #until = :zero",
    ConditionExpression: "holder = :holder",
    ExpressionAttributeNames: { "#until": "until" },
    ExpressionAttributeValues: { ":zero": 0, ":holder": hold.holder },
  });
}

/** The first HOLDS_READ holds of the coupon: tickets in flight and holes, never a unit sold. */
export async function readHolds(db: Db, couponId: number): Promise<UnitHold[]> {
  const items = await queryItems(db, {
    pk: couponHoldPartition(couponId),
    prefix: sortPrefix.couponHold,
    limit: HOLDS_READ,
  });
  return items.flatMap((item) => {
    const hold = parseAs(model.couponHold, item);
    return hold
      ? [{ couponId: hold.coupon_id, unit: hold.unit, holder: hold.holder, until: hold.until }]
      : [];
  });
}

/** Takes over a hole: only if it is still as read (another customer may have taken it first). */
export async function reletHold(db: Db, was: UnitHold, to: UnitHold): Promise<boolean> {
  const { done } = await conditionally(db, {
    Key: keys.couponHold(was.couponId, was.unit),
    UpdateExpression: "SET holder = :holder, #until = :until",
    ConditionExpression: "holder = :was AND #until = :wasUntil",
    ExpressionAttributeNames: { "#until": "until" },
    ExpressionAttributeValues: {
      ":holder": to.holder,
      ":until": to.until,
      ":was": was.holder,
      ":wasUntil": was.until,
    },
  });
  return done;
}

/** Flags the Coupon sold out at its current total and used; a coupon changed meanwhile is left alone. */
export async function markSoldOut(db: Db, coupon: Coupon): Promise<void> {
  await conditionally(db, {
    Key: keys.coupon(coupon.id),
    UpdateExpression: "SET sold_out_total = :total, sold_out_used = :used",
    // A missing `used` is 0 (docs/data-model.md): the condition says so too.
    ConditionExpression: `#total = :total AND ${coupon.used === 0 ? "(attribute_not_exists(#used) OR #used = :used)" : "#used = :used"}`,
    ExpressionAttributeNames: { "#total": "total", "#used": "used" },
    ExpressionAttributeValues: { ":total": coupon.total, ":used": coupon.used },
  });
}

/**
 * How many times a campaign coupon has been used: the Coupon's own `used` (what was imported) plus its
 * CouponUnit items, one per use made here. An operator's read (it counts every unit), never the accept's.
 */
export async function couponUseCount(db: Db, couponId: number): Promise<number> {
  const coupon = await readCoupon(db, couponId);
  if (!coupon) return 0;
  const sold = await queryCount(db, { pk: couponUnitPartition(couponId), prefix: sortPrefix.couponUnit });
  return coupon.used + sold;
}
