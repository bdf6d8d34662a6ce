// Stored rows for fixtures: coupons, vouchers and quotations with every attribute filled in, so a test
// states only what it changes. Plain values, no DynamoDB: the unit tests and the bench use them too.
import type { Coupon, CouponCode } from "../../lib/domain/entities.ts";

/** The clock of every coupon test (2023-11-14T22:13:20Z); windows and expiries are set around it. */
export const NOW = 1_700_000_000;

export const BOB = 1001;
export const ALICE = 1000;

type Row = Record<string, unknown>;

/** A public campaign coupon with no limits; `fields` override. */
export const coupon = (fields: Partial<Coupon> & { id: number }): Coupon => ({
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
  sold_out_total: 0,
  sold_out_used: 0,
  ...fields,
});

/** An unused voucher owned by bob; `fields` override. */
export const voucher = (
  fields: Partial<CouponCode> & { id: number; coupon_id: number; code: string },
): CouponCode => ({
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
