// Coupons that are refused (rule 6, docs/accept.md): each answers its exact -1 message and leaves the table exactly as it
// was — coupons, vouchers, uses, the quotation and the order tables (id counters aside).
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertRefusedUntouched, one, openCouponShop, useCount } from "./support/coupons.ts";
import { ALICE, BOB, coupon, NOW, quotation, voucher } from "./support/rows.ts";
import type { Shop } from "./support/shop.ts";

// Bob's quotation 8 (goods 205, 45050 cents) is what every refused request tries to accept: with these
// coupon fields it is refused with exactly `message`, and the table is left as it was.
const assertQuotation8Refused = (shop: Shop, couponFields: Record<string, unknown>, message: string) =>
  assertRefusedUntouched(shop, { comm_order_id: 8, ...couponFields }, BOB, message);

const welcome = voucher({ id: 1, coupon_id: 1, code: "WELCOME10" });
const reduce10 = coupon({ id: 1, amount: 1000, min_amount: 5000 });

test("coupon_code and coupon_code_id naming two different vouchers of the caller", async () => {
  const shop = await openCouponShop({
    coupons: [reduce10],
    coupon_codes: [welcome, voucher({ id: 2, coupon_id: 1, code: "SPRING10" })],
  });
  await assertQuotation8Refused(
    shop,
    { coupon_code: "WELCOME10", coupon_code_id: 2 },
    "coupon_code and coupon_code_id name different vouchers",
  );
});

test("another user's voucher is not found, by code or by id", async () => {
  const shop = await openCouponShop({
    coupons: [reduce10],
    coupon_codes: [voucher({ id: 3, coupon_id: 1, code: "ALICE10", user_id: ALICE })],
  });
  await assertQuotation8Refused(shop, { coupon_code: "ALICE10" }, "coupon_code not found");
  await assertQuotation8Refused(shop, { coupon_code_id: 3 }, "coupon_code_id not found");
  assert.equal((await one(shop, "CouponCode", { id: 3 })).status, 0);
});

test("a voucher that is used, void or expired", async () => {
  const shop = await openCouponShop({
    coupons: [reduce10],
    coupon_codes: [
      voucher({
        id: 4,
        coupon_id: 1,
        code: "USED10",
        status: 1,
        used_order_id: "202311141200000001",
        used_time: NOW - 3_600,
      }),
      voucher({ id: 5, coupon_id: 1, code: "VOID10", status: -1 }),
      voucher({ id: 6, coupon_id: 1, code: "OLD10", expire_time: NOW - 1 }),
    ],
  });
  const refusals: [Record<string, unknown>, string][] = [
    [{ coupon_code: "USED10" }, "coupon_code has already been used"],
    // A refusal names the field the request named the voucher by.
    [{ coupon_code_id: 4 }, "coupon_code_id has already been used"],
    [{ coupon_code: "VOID10" }, "coupon_code is void"],
    [{ coupon_code_id: 6 }, "coupon_code_id has expired"],
  ];
  for (const [named, message] of refusals) {
    await assertQuotation8Refused(shop, named, message);
  }
});

test("a voucher whose own coupon is inactive, or does not cover the order", async () => {
  const shop = await openCouponShop({
    coupons: [coupon({ id: 1, amount: 1000, status: 0 }), coupon({ id: 2, amount: 1000, min_amount: 50000 })],
    coupon_codes: [welcome, voucher({ id: 2, coupon_id: 2, code: "BIG10" })],
  });
  await assertQuotation8Refused(shop, { coupon_code: "WELCOME10" }, "coupon is not active");
  await assertQuotation8Refused(shop, { coupon_code: "BIG10" }, "coupon needs an order of at least 500.00");
});

test("a voucher whose coupon no longer exists", async () => {
  const shop = await openCouponShop({
    coupons: [reduce10],
    coupon_codes: [voucher({ id: 8, coupon_id: 77, code: "GONE10" })],
  });
  await assertQuotation8Refused(shop, { coupon_code: "GONE10" }, "coupon not found");
});

test("a voucher plus a coupon_id that is not the voucher's coupon", async () => {
  const shop = await openCouponShop(); // the demo: WELCOME10 is coupon 1's; coupon 2 is a campaign
  await assertQuotation8Refused(
    shop,
    { coupon_code: "WELCOME10", coupon_id: 2 },
    "coupon_id is not the coupon of this voucher: send one coupon per order",
  );
  await assertQuotation8Refused(
    shop,
    { coupon_code_id: 1, coupon_id: 2 },
    "coupon_id is not the coupon of this voucher: send one coupon per order",
  );
});

// Campaign coupons (no vouchers in the shop), each named by coupon_id and refused.
const campaignRefusals: {
  title: string;
  coupons: Record<string, unknown>[];
  refusals: [number, string][];
}[] = [
  {
    title: "a campaign coupon before its window, after it, or inactive",
    coupons: [
      coupon({ id: 11, amount: 1000, start_time: NOW + 60, end_time: NOW + 86_400 }),
      coupon({ id: 12, amount: 1000, start_time: NOW - 86_400, end_time: NOW - 60 }),
      coupon({ id: 13, amount: 1000, status: 0 }),
    ],
    refusals: [
      [11, "coupon is not valid yet"],
      [12, "coupon has expired"],
      [13, "coupon is not active"],
    ],
  },
  {
    title: "a campaign coupon that is sold out, unknown, or for other products",
    coupons: [
      coupon({ id: 14, amount: 1000, total: 50, used: 50 }),
      coupon({ id: 15, type: "discount", percent: 80, goods_ids: [188, 301] }),
    ],
    refusals: [
      [14, "coupon is sold out"],
      [99, "coupon_id not found"],
      [15, "coupon does not apply to this product"],
    ],
  },
  {
    title: "a campaign coupon under its min_amount",
    coupons: [coupon({ id: 16, amount: 1000, min_amount: 45051 })],
    refusals: [[16, "coupon needs an order of at least 450.51"]],
  },
];
for (const { title, coupons, refusals } of campaignRefusals) {
  test(title, async () => {
    const shop = await openCouponShop({ coupons, coupon_codes: [] });
    for (const [coupon_id, message] of refusals) await assertQuotation8Refused(shop, { coupon_id }, message);
  });
}

test("a campaign coupon is once per user: the second quotation cannot use it again", async () => {
  const shop = await openCouponShop({
    comm_orders: [quotation({ id: 10, user_id: BOB, quote_price: "120.00" })],
  });
  const first = await shop.accept({ comm_order_id: 8, coupon_id: 2 }, { userId: BOB });
  assert.equal(first.msg, "");
  assert.equal(first.code, 0);
  assert.equal(first.data.discount_amount, 4505);
  await assertRefusedUntouched(
    shop,
    { comm_order_id: 10, coupon_id: 2 },
    BOB,
    "coupon has already been used by this account",
  );
  assert.equal(await useCount(shop, 2), 1);
  assert.equal((await one(shop, "CommOrder", { id: 10 })).status, 2);
  // Another user may still use it.
  const alice = await openCouponShop({
    comm_orders: [quotation({ id: 11, user_id: ALICE, quote_price: "120.00" })],
  });
  assert.equal((await alice.accept({ comm_order_id: 11, coupon_id: 2 }, { userId: ALICE })).code, 0);
});
