// Shared by the coupon tests: the demo shop at a fixed clock, with coupons, vouchers and quotations to taste.
import assert from "node:assert/strict";
import { type Answer, demoFixture, type Item, openShop, type Shop, type ShopOptions } from "./shop.ts";

/** The clock of every coupon test (2023-11-14T22:13:20Z); windows and expiries are set around it. */
export const NOW = 1_700_000_000;

export const BOB = 1001;
export const ALICE = 1000;

type Row = Record<string, unknown>;

/** A public campaign coupon with no limits; `fields` override. */
export const coupon = (fields: Row & { id: number }): Row => ({
  title: `coupon ${fields.id}`,
  type: "reduce",
  amount: 0,
  percent: 0,
  min_amount: 0,
  start_time: 0,
  end_time: 0,
  status: 1,
  goods_ids: [],
  total: 0,
  used: 0,
  public: 1,
  ...fields,
});

/** An unused voucher owned by bob; `fields` override. */
export const voucher = (fields: Row & { id: number; coupon_id: number; code: string }): Row => ({
  user_id: BOB,
  status: 0,
  expire_time: 0,
  used_order_id: "",
  used_time: 0,
  ...fields,
});

/** A quotation (status 2) of product 205; `fields` override. */
export const quotation = (fields: Row & { id: number; user_id: number; quote_price: string }): Row => ({
  archive_id: 205,
  title: `Quotation ${fields.id}`,
  status: 2,
  admin_id: 1,
  quote_expire_time: 0,
  order_id: "",
  created_time: NOW - 86_400,
  updated_time: NOW - 3_600,
  ...fields,
});

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
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
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
