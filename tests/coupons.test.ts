// Coupons that are redeemed (rules 6 and 7, docs/accept.md): exact cents, commissions on the amount after the discount,
// and the redemption stored in the order's own transaction. Refusals: tests/coupon-refusals.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { attributes, type CouponWorld, one, openCouponShop, useCount } from "./support/coupons.ts";
import { ALICE, BOB, coupon, NOW, quotation, voucher } from "./support/rows.ts";
import type { Answer, Shop } from "./support/shop.ts";

interface Expected {
  quotation: { comm_order_id: number; user_id: number };
  cents: { origin_amount: number; discount_amount: number; amount: number };
  coupon: { coupon_id: number; coupon_code_id: number };
  /** [earner, cents] per commission type; absent: nobody earns it and no record is written. */
  earns: { seller?: [number, number]; share?: [number, number]; share_parent?: [number, number] };
}

/** The answer, the stored order, its detail line, its commissions and the quotation all say `expected`. */
async function assertOrder(shop: Shop, answer: Answer, expected: Expected) {
  assert.equal(answer.msg, "");
  assert.equal(answer.code, 0);
  const number = String(answer.data.order_id);
  const { earns } = expected;
  const figures = {
    ...expected.quotation,
    ...expected.cents,
    ...expected.coupon,
    seller_id: 15,
    seller_amount: earns.seller?.[1] ?? 0,
    share_user_id: earns.share?.[0] ?? 0,
    share_amount: earns.share?.[1] ?? 0,
    share_parent_user_id: earns.share_parent?.[0] ?? 0,
    share_parent_amount: earns.share_parent?.[1] ?? 0,
  };
  const pick = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.keys(figures).map((name) => [name, record[name]]));
  assert.deepEqual(pick(answer.data), figures);

  const stored = await one(shop, "Order", { order_id: number });
  assert.deepEqual(pick(stored), figures);
  const detail = await one(shop, "OrderDetail", { order_id: number });
  assert.equal(detail.origin_amount, expected.cents.origin_amount);
  assert.equal(detail.amount, expected.cents.amount);

  const commissions = (await shop.ofEntity("Commission"))
    .filter((item) => item.order_id === number)
    .map((item) => ({
      type: item.type,
      user_id: item.user_id,
      amount: item.amount,
      order_amount: item.order_amount,
    }))
    .sort((a, b) => String(a.type).localeCompare(String(b.type)));
  const earned = (["seller", "share", "share_parent"] as const).flatMap((type) => {
    const earner = earns[type];
    return earner
      ? [{ type, user_id: earner[0], amount: earner[1], order_amount: expected.cents.amount }]
      : [];
  });
  assert.deepEqual(commissions, earned);

  const accepted = await one(shop, "CommOrder", { id: expected.quotation.comm_order_id });
  assert.equal(accepted.status, 3);
  assert.equal(accepted.order_id, number);
  return number;
}

// Bob's quotation 8 is 450.50 → 45050 cents. His promoter is carol (retailer, group 2: share 15%,
// parent 5%), her parent dave is a retailer; the seller is user 15 at seller_percent 80.

/**
 * Bob's voucher WELCOME10 (10.00 off) on quotation 8: amount 45050 − 1000 = 44050; share
 * floor(44050 × 15%) = 6607; parent floor(44050 × 5%) = 2202; seller floor((44050 − 6607 − 2202) × 80%) =
 * floor(35241 × 0.8) = 28192.
 */
const WELCOME10_ON_8: Expected = {
  quotation: { comm_order_id: 8, user_id: BOB },
  cents: { origin_amount: 45050, discount_amount: 1000, amount: 44050 },
  coupon: { coupon_id: 1, coupon_code_id: 1 },
  earns: { seller: [15, 28192], share: [1002, 6607], share_parent: [1003, 2202] },
};

test("a voucher named by its code takes 10.00 off, and commissions are on the 440.50 left", async () => {
  const shop = await openCouponShop();
  const answer = await shop.accept({ comm_order_id: 8, coupon_code: "WELCOME10" }, { userId: BOB });
  const number = await assertOrder(shop, answer, WELCOME10_ON_8);
  assert.deepEqual(attributes(await one(shop, "CouponCode", { id: 1 })), {
    id: 1,
    coupon_id: 1,
    code: "WELCOME10",
    user_id: BOB,
    status: 1,
    expire_time: 0,
    used_order_id: number,
    used_time: NOW,
  });
  // A voucher is spent by its own status: its coupon's count and the per-user uses stay as they were.
  assert.equal(await useCount(shop, 1), 0);
  assert.equal((await shop.counts()).CouponUse, 0);
});

test("a voucher named by its id, or by code, id and its own coupon_id together, redeems the same", async () => {
  for (const body of [
    { comm_order_id: 8, coupon_code_id: 1 },
    { comm_order_id: 8, coupon_code: "WELCOME10", coupon_code_id: 1, coupon_id: 1 },
  ]) {
    const shop = await openCouponShop();
    const number = await assertOrder(shop, await shop.accept(body, { userId: BOB }), WELCOME10_ON_8);
    const spent = await one(shop, "CouponCode", { id: 1 });
    assert.deepEqual([spent.status, spent.used_order_id, spent.used_time], [1, number, NOW]);
    assert.equal(await useCount(shop, 1), 0);
    assert.equal((await shop.counts()).CouponUse, 0);
  }
});

test("a campaign coupon by coupon_id: 90% of the price, one more used, and the use recorded", async () => {
  const shop = await openCouponShop();
  const answer = await shop.accept({ comm_order_id: 8, coupon_id: 2 }, { userId: BOB });
  // 45050 × 90% = 40545 to pay, 4505 off; share floor(40545 × 15%) = 6081; parent floor(40545 × 5%) = 2027;
  // seller floor((40545 − 6081 − 2027) × 80%) = floor(32437 × 0.8) = 25949.
  const number = await assertOrder(shop, answer, {
    quotation: { comm_order_id: 8, user_id: BOB },
    cents: { origin_amount: 45050, discount_amount: 4505, amount: 40545 },
    coupon: { coupon_id: 2, coupon_code_id: 0 },
    earns: { seller: [15, 25949], share: [1002, 6081], share_parent: [1003, 2027] },
  });
  assert.equal(await useCount(shop, 2), 1);
  const uses = await shop.ofEntity("CouponUse");
  assert.deepEqual(uses.map(attributes), [
    { coupon_id: 2, user_id: BOB, order_id: number, created_time: NOW },
  ]);
  // Bob's voucher was not named: it stays unused.
  assert.equal((await one(shop, "CouponCode", { id: 1 })).status, 0);
});

// Two cases where only the order's figures are in question: bob accepts, and every figure is checked.
const figuresOnly: {
  title: string;
  world: CouponWorld;
  body: Record<string, unknown>;
  expected: Expected;
}[] = [
  {
    title: "discount rounding: 99.99 at 90% pays 89.99 (discount 10.00), commissions floored on 8999",
    world: { comm_orders: [quotation({ id: 10, user_id: BOB, quote_price: "99.99" })] },
    body: { comm_order_id: 10, coupon_id: 2 },
    // floor(9999 × 90 / 100) = floor(8999.1) = 8999; share floor(1349.85) = 1349; parent floor(449.95) = 449;
    // seller floor((8999 − 1349 − 449) × 80%) = floor(7201 × 0.8) = floor(5760.8) = 5760.
    expected: {
      quotation: { comm_order_id: 10, user_id: BOB },
      cents: { origin_amount: 9999, discount_amount: 1000, amount: 8999 },
      coupon: { coupon_id: 2, coupon_code_id: 0 },
      earns: { seller: [15, 5760], share: [1002, 1349], share_parent: [1003, 449] },
    },
  },
  {
    title: "min_amount is checked against quote × quantity: two units clear a minimum one unit does not",
    world: { coupons: [coupon({ id: 1, amount: 1000, min_amount: 50000 })] },
    body: { comm_order_id: 8, goods_id: 205, quantity: 2, coupon_code: "WELCOME10" },
    // 2 × 45050 = 90100 ≥ 50000; amount 89100; share floor(89100 × 15%) = 13365; parent floor(89100 × 5%) = 4455;
    // seller floor((89100 − 13365 − 4455) × 80%) = floor(71280 × 0.8) = 57024.
    expected: {
      quotation: { comm_order_id: 8, user_id: BOB },
      cents: { origin_amount: 90100, discount_amount: 1000, amount: 89100 },
      coupon: { coupon_id: 1, coupon_code_id: 1 },
      earns: { seller: [15, 57024], share: [1002, 13365], share_parent: [1003, 4455] },
    },
  },
];
for (const { title, world, body, expected } of figuresOnly) {
  test(title, async () => {
    const shop = await openCouponShop(world);
    await assertOrder(shop, await shop.accept(body, { userId: BOB }), expected);
  });
}

test("a reduce larger than the order is capped at the order: amount 0, nobody earns", async () => {
  const shop = await openCouponShop({
    coupons: [coupon({ id: 5, type: "reduce", amount: 50000 })],
    coupon_codes: [voucher({ id: 7, coupon_id: 5, code: "BIG500" })],
  });
  const answer = await shop.accept({ comm_order_id: 8, coupon_code: "BIG500" }, { userId: BOB });
  const number = await assertOrder(shop, answer, {
    quotation: { comm_order_id: 8, user_id: BOB },
    cents: { origin_amount: 45050, discount_amount: 45050, amount: 0 },
    coupon: { coupon_id: 5, coupon_code_id: 7 },
    earns: {},
  });
  const spent = await one(shop, "CouponCode", { id: 7 });
  assert.deepEqual([spent.status, spent.used_order_id, spent.used_time], [1, number, NOW]);
  assert.equal((await shop.counts()).Commission, 0);
});

test("min_amount is inclusive, and a coupon whose goods_ids lists the product applies", async () => {
  const shop = await openCouponShop({
    coupons: [coupon({ id: 6, amount: 2500, min_amount: 45050, goods_ids: [188, 205], total: 10, used: 9 })],
    coupon_codes: [],
    comm_orders: [quotation({ id: 11, user_id: ALICE, quote_price: "450.50" })],
  });
  const answer = await shop.accept({ comm_order_id: 11, coupon_id: 6 }, { userId: ALICE });
  // Alice has no promoter: only the seller earns, floor(42550 × 80%) = 34040. Coupon 6's last unit.
  const number = await assertOrder(shop, answer, {
    quotation: { comm_order_id: 11, user_id: ALICE },
    cents: { origin_amount: 45050, discount_amount: 2500, amount: 42550 },
    coupon: { coupon_id: 6, coupon_code_id: 0 },
    earns: { seller: [15, 34040] },
  });
  assert.equal(await useCount(shop, 6), 10);
  assert.deepEqual((await shop.ofEntity("CouponUse")).map(attributes), [
    { coupon_id: 6, user_id: ALICE, order_id: number, created_time: NOW },
  ]);
});

test("accepting the same quotation again with the same voucher replays the order, spending nothing twice", async () => {
  const shop = await openCouponShop();
  const body = { comm_order_id: 8, coupon_code: "WELCOME10" };
  const first = await shop.accept(body, { userId: BOB });
  assert.equal(first.code, 0);
  const before = await shop.snapshot();
  const again = await shop.accept(body, { userId: BOB });
  assert.equal(again.msg, "");
  assert.equal(again.code, 0);
  assert.deepEqual(again.data, first.data);
  assert.deepEqual(await shop.snapshot(), before);
});
