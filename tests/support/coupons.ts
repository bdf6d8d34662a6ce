// Shared by the coupon tests: the demo shop at a fixed clock, with coupons, vouchers and quotations to taste
// (their rows: ./rows.ts).
import assert from "node:assert/strict";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { NOW } from "./rows.ts";
import { type Answer, demoFixture, type Item, openShop, type Shop, type ShopOptions } from "./shop.ts";

type Row = Record<string, unknown>;

export interface CouponWorld {
  /** Replace the demo's coupons (1: WELCOME10's reduce 1000 min 5000; 2: 90% on goods 205, total 100). */
  coupons?: Row[];
  /** Replace the demo's vouchers (1: WELCOME10 of coupon 1, bob's). */
  coupon_codes?: Row[];
  /** Added to the demo's quotations (8: bob's, goods 205, "450.50"). */
  comm_orders?: Row[];
}

export function couponFixture(world: CouponWorld = {}) {
  const fixture = demoFixture();
  if (world.coupons) fixture.coupons = world.coupons;
  if (world.coupon_codes) fixture.coupon_codes = world.coupon_codes;
  fixture.comm_orders = [...(fixture.comm_orders as Row[]), ...(world.comm_orders ?? [])];
  return fixture;
}

export const openCouponShop = (world: CouponWorld = {}, options: ShopOptions = {}) =>
  openShop(couponFixture(world), { now: () => NOW, ...options });

/** The one stored item of `entity` whose attributes include `match`. */
export async function one(shop: Shop, entity: string, match: Row): Promise<Item> {
  const found = (await shop.ofEntity(entity)).filter((item) =>
    Object.entries(match).every(([name, value]) => item[name] === value),
  );
  assert.equal(
    found.length,
    1,
    `expected one ${entity} with ${JSON.stringify(match)}, found ${found.length}`,
  );
  return found[0] as Item;
}

/** A merchant changes a coupon's `total` by hand: the stored item, as it is, with the new total. */
export async function setCouponTotal(shop: Shop, couponId: number, total: number): Promise<void> {
  const coupon = await one(shop, "Coupon", { id: couponId });
  await shop.doc.send(new PutCommand({ TableName: shop.table, Item: { ...coupon, total } }));
}

/**
 * A campaign coupon's use count, read from the raw items as docs/data-model.md defines it: the Coupon's
 * `used` (imported) plus its CouponUnit items (the units sold here).
 */
export async function useCount(shop: Shop, couponId: number): Promise<number> {
  const items = await shop.items();
  const coupon = items.find((item) => item.entity === "Coupon" && item.id === couponId);
  const units = items.filter((item) => item.entity === "CouponUnit" && item.coupon_id === couponId);
  return (typeof coupon?.used === "number" ? coupon.used : 0) + units.length;
}

/** Domain attributes only: the stored item without its keys and entity name. */
export function attributes(item: Item): Row {
  const { pk: _pk, sk: _sk, lookup_pk: _lpk, lookup_sk: _lsk, entity: _entity, ...rest } = item;
  return rest;
}

/**
 * Sends `body` as `userId` and asserts the exact -1 message, and that the table (counters aside) is
 * exactly as before: no order, no coupon change, the quotation still open.
 */
export async function assertRefusedUntouched(
  shop: Shop,
  body: Row,
  userId: number,
  message: string,
): Promise<Answer> {
  const before = await shop.snapshot();
  for (const entity of ["Coupon", "CommOrder"]) {
    assert.ok(
      before.some((item) => item.entity === entity),
      `the snapshot holds no ${entity}: it proves nothing`,
    );
  }
  const answer = await shop.accept(body, { userId });
  assert.equal(answer.status, 200);
  assert.equal(answer.msg, message);
  assert.equal(answer.code, -1);
  assert.equal(answer.data, undefined);
  assert.deepEqual(await shop.snapshot(), before);
  return answer;
}
