// A campaign coupon's ticket counter and holds on DynamoDB (lib/domain/coupon-stock.ts): every call
// reads or writes one item, or one page of the holds partition; none reads the units sold.
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, PutCommand, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import type { TicketTaken } from "../accept/store.ts";
import { HOLDS_READ, type TicketRange, type UnitHold } from "../domain/coupon-stock.ts";
import type { Coupon } from "../domain/entities.ts";
import { type Db, sendOptions } from "./db.ts";
import { couponHoldPartition, couponUnitPartition, type Key, keys, sortPrefix } from "./keys.ts";
import { itemOf, model, parseAs } from "./model.ts";
import { queryCount, queryItems } from "./query.ts";
import { itemExists, readCoupon, readCouponTickets } from "./reads.ts";

/**
 * A ticket taken must reach its hold, and a hold given back must be written: these calls are not cut off
 * when the handler gives up (its abort signal), or the unit would be lost; each is one short write, and
 * the accept takes a ticket only with time left for them (lib/accept/commit.ts).
 */
const unabortable = (db: Db): Db => ({ doc: db.doc, table: db.table });

/** Whether a conditional write was done: false when its condition refused it. */
async function written(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

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
  const taken = await conditionally(unabortable(db), {
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
  if (taken.old) {
    return {
      exhausted: { issued: numberIn(taken.old, "issued"), takenTime: numberIn(taken.old, "taken_time") },
    };
  }
  // An answer without the old item (DynamoDB returns it; a stand-in might not): read the counter.
  const counter = await readCouponTickets(db, couponId);
  return { exhausted: { issued: counter?.issued ?? 0, takenTime: counter?.taken_time ?? 0 } };
}

const holdRecord = (hold: UnitHold) => ({
  coupon_id: hold.couponId,
  unit: hold.unit,
  holder: hold.holder,
  until: hold.until,
});

/** Puts a hold if the ticket has none, or, `overNobody`, one for nobody: whether it did. */
const putHold = (db: Db, hold: UnitHold, overNobody: boolean) =>
  written(
    db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: itemOf(model.couponHold, holdRecord(hold)),
        ...(overNobody
          ? {
              ConditionExpression: "attribute_not_exists(pk) OR holder = :nobody",
              ExpressionAttributeValues: { ":nobody": "" },
            }
          : { ConditionExpression: "attribute_not_exists(pk)" }),
      }),
      sendOptions(unabortable(db)),
    ),
  );

/** Holds a ticket just taken: over a hold for nobody (a ticket thought lost), never over someone's. */
export const holdUnit = (db: Db, hold: UnitHold) => putHold(db, hold, true);

/**
 * Holds a ticket nobody holds, for nobody (lib/accept/coupon-ticket.ts): a hole once `until` passes.
 * Its taker may have held it and sold it just before: the unit is read again, and if it is sold the
 * hold is taken away (a hole whose unit is sold would cost its buyer a cancelled transaction).
 */
export async function adoptLost(db: Db, hold: UnitHold): Promise<void> {
  if (!(await putHold(db, hold, false))) return;
  if (await itemExists(unabortable(db), keys.couponUnit(hold.couponId, hold.unit))) await dropHold(db, hold);
}

/** Deletes a hold whose unit is sold, if it is still this holder's. */
export async function dropHold(db: Db, hold: UnitHold): Promise<void> {
  await written(
    db.doc.send(
      new DeleteCommand({
        TableName: db.table,
        Key: keys.couponHold(hold.couponId, hold.unit),
        ConditionExpression: "holder = :holder",
        ExpressionAttributeValues: { ":holder": hold.holder },
      }),
      sendOptions(unabortable(db)),
    ),
  );
}

/** The units of tickets `first` … `last` stored under `keyOf` (a range of keys: never more items). */
async function unitsIn(db: Db, keyOf: (unit: number) => Key, [first, last]: TicketRange) {
  const items = await queryItems(db, {
    pk: keyOf(first).pk,
    between: [keyOf(first).sk, keyOf(last).sk],
    select: { attributes: ["unit"] },
  });
  return new Set(items.map((item) => Number(item.unit)));
}

/**
 * Tickets `first` … `last` neither held nor sold. Holds are read before units: a transaction that
 * commits between the two reads (deleting its hold, putting its unit) is seen by the second.
 */
export async function findUnheld(db: Db, couponId: number, range: TicketRange): Promise<number[]> {
  const held = await unitsIn(db, (unit) => keys.couponHold(couponId, unit), range);
  const sold = await unitsIn(db, (unit) => keys.couponUnit(couponId, unit), range);
  const lost: number[] = [];
  for (let unit = range[0]; unit <= range[1]; unit++) if (!held.has(unit) && !sold.has(unit)) lost.push(unit);
  return lost;
}

/** Gives a held ticket back (its order will not be written): the next customer refused a ticket takes it. */
export async function releaseHold(db: Db, hold: UnitHold): Promise<void> {
  await conditionally(unabortable(db), {
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
