// The coupon rules (rule 6, docs/accept.md) as plain values: no database, no mocks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertCouponUsable, assertVoucherUsable, couponDiscount } from "../../lib/domain/coupons.ts";
import type { Coupon, CouponCode } from "../../lib/domain/entities.ts";
import { orderAmounts } from "../../lib/domain/pricing.ts";
import { voucher as bobsVoucher, coupon, NOW } from "../support/rows.ts";

const reduce = (fields: Partial<Coupon> = {}): Coupon =>
  coupon({ id: 1, title: "10 off orders over 50", amount: 1000, min_amount: 5000, ...fields });

const discount = (percent: number, fields: Partial<Coupon> = {}): Coupon =>
  reduce({
    id: 2,
    title: `${percent}% of the price`,
    type: "discount",
    amount: 0,
    percent,
    min_amount: 0,
    ...fields,
  });

/** Bob's WELCOME10 of coupon 1. */
const voucher = (fields: Partial<CouponCode> = {}): CouponCode =>
  bobsVoucher({ id: 1, coupon_id: 1, code: "WELCOME10", ...fields });

/** A usable campaign use of `coupon` on a 45050-cent order of product 205, with `changes` applied. */
const context = (coupon: Coupon, changes: Partial<Parameters<typeof assertCouponUsable>[0]> = {}) => ({
  coupon,
  usedByUser: false,
  goodsId: 205,
  originAmount: 45050,
  now: NOW,
  ...changes,
});

/** A refusal, by its English text (Refusal.message is always the en-US rendering). */
const refusal = (message: string) => ({ name: "Refusal", message });

test("reduce takes its amount off, and never more than the order", () => {
  assert.equal(couponDiscount(reduce(), 45050), 1000);
  assert.equal(couponDiscount(reduce({ amount: 45050 }), 45050), 45050);
  assert.equal(couponDiscount(reduce({ amount: 50000 }), 45050), 45050);
  assert.equal(couponDiscount(reduce({ amount: 0 }), 45050), 0);
  // A negative amount in a stored coupon never raises the price.
  assert.equal(couponDiscount(reduce({ amount: -500 }), 45050), 0);
});

test("discount keeps floor(percent of the price) and takes off the rest", () => {
  // 9999 × 90 / 100 = 8999.1 → the customer pays 8999, the coupon takes 1000.
  assert.equal(couponDiscount(discount(90), 9999), 1000);
  assert.equal(couponDiscount(discount(90), 45050), 4505);
  assert.equal(couponDiscount(discount(1), 10000), 9900);
  assert.equal(couponDiscount(discount(99), 1), 1); // floor(0.99) = 0 left to pay
  assert.equal(couponDiscount(discount(50), 3), 2); // floor(1.5) = 1 left to pay
  assert.equal(couponDiscount(discount(90), 0), 0);
});

test("order amounts subtract the coupon from quote × quantity", () => {
  assert.deepEqual(orderAmounts(9999, 1, discount(90)), {
    origin_amount: 9999,
    discount_amount: 1000,
    amount: 8999,
  });
  assert.deepEqual(orderAmounts(45050, 2, reduce()), {
    origin_amount: 90100,
    discount_amount: 1000,
    amount: 89100,
  });
  assert.deepEqual(orderAmounts(45050, 1, reduce({ amount: 50000 })), {
    origin_amount: 45050,
    discount_amount: 45050,
    amount: 0,
  });
});

test("a voucher must be unused, not void and not expired (its expiry second still counts)", () => {
  assert.doesNotThrow(() => assertVoucherUsable(voucher(), NOW));
  assert.doesNotThrow(() => assertVoucherUsable(voucher({ expire_time: NOW }), NOW));
  assert.throws(
    () => assertVoucherUsable(voucher({ status: 1, used_order_id: "202311150613200001" }), NOW),
    refusal("coupon_code has already been used"),
  );
  assert.throws(() => assertVoucherUsable(voucher({ status: -1 }), NOW), refusal("coupon_code is void"));
  assert.throws(
    () => assertVoucherUsable(voucher({ expire_time: NOW - 1 }), NOW),
    refusal("coupon_code has expired"),
  );
});

test("a coupon must be active and within its window; 0 leaves either end open", () => {
  assert.doesNotThrow(() => assertCouponUsable(context(reduce())));
  assert.doesNotThrow(() => assertCouponUsable(context(reduce({ start_time: NOW, end_time: NOW }))));
  assert.throws(() => assertCouponUsable(context(reduce({ status: 0 }))), refusal("coupon is not active"));
  assert.throws(() => assertCouponUsable(context(reduce({ status: -1 }))), refusal("coupon is not active"));
  assert.throws(
    () => assertCouponUsable(context(reduce({ start_time: NOW + 1 }))),
    refusal("coupon is not valid yet"),
  );
  assert.throws(
    () => assertCouponUsable(context(reduce({ end_time: NOW - 1 }))),
    refusal("coupon has expired"),
  );
});

test("a coupon applies to its goods_ids only, and from its min_amount on", () => {
  assert.doesNotThrow(() => assertCouponUsable(context(reduce({ goods_ids: [188, 205] }))));
  assert.throws(
    () => assertCouponUsable(context(reduce({ goods_ids: [188] }))),
    refusal("coupon does not apply to this product"),
  );
  assert.doesNotThrow(() => assertCouponUsable(context(reduce({ min_amount: 45050 }))));
  assert.throws(
    () => assertCouponUsable(context(reduce({ min_amount: 45051 }))),
    refusal("coupon needs an order of at least 450.51"),
  );
});

test("a discount coupon needs a percent from 1 to 99", () => {
  assert.doesNotThrow(() => assertCouponUsable(context(discount(1))));
  assert.doesNotThrow(() => assertCouponUsable(context(discount(99))));
  assert.throws(() => assertCouponUsable(context(discount(0))), refusal("coupon is not usable"));
});

test("a campaign coupon is once per user and within its total; 0 is unlimited", () => {
  assert.doesNotThrow(() => assertCouponUsable(context(discount(90, { total: 0, used: 5000 }))));
  assert.doesNotThrow(() => assertCouponUsable(context(discount(90, { total: 3, used: 2 }))));
  assert.throws(
    () => assertCouponUsable(context(discount(90, { total: 3, used: 3 }))),
    refusal("coupon is sold out"),
  );
  assert.throws(
    () => assertCouponUsable(context(discount(90), { usedByUser: true })),
    refusal("coupon has already been used by this account"),
  );
});

test("a voucher is its own unit: its coupon's total and per-user uses do not limit it", () => {
  assert.doesNotThrow(() =>
    assertCouponUsable(context(reduce({ total: 1, used: 1 }), { voucher: voucher(), usedByUser: true })),
  );
  assert.throws(
    () => assertCouponUsable(context(reduce(), { voucher: voucher({ status: -1 }) })),
    refusal("coupon_code is void"),
  );
  // The voucher's coupon still has to be usable itself.
  assert.throws(
    () => assertCouponUsable(context(reduce({ status: 0 }), { voucher: voucher() })),
    refusal("coupon is not active"),
  );
  assert.throws(
    () => assertCouponUsable(context(reduce({ min_amount: 50000 }), { voucher: voucher() })),
    refusal("coupon needs an order of at least 500.00"),
  );
});
