// A launch-day shop, for tests/flash-sale.test.ts and npm run bench: the demo data plus `customers`
// buyers, each with their own quotation of "20.00", and the campaign coupon 90 (reduce 5.00, public)
// limited to `units`.
import { readFileSync } from "node:fs";
import { signToken } from "../../lib/auth/token.ts";
import { coupon } from "./rows.ts";

export const COUPON_ID = 90;
export const FIRST_USER = 20_000;
export const FIRST_QUOTATION = 40_000;
export const SECRET = "bench-burst-secret-local-only-0001";

type Row = Record<string, unknown>;

export interface World {
  fixture: Record<string, unknown>;
  /** One request per customer, in customer order. */
  requests: { userId: number; body: Record<string, unknown> }[];
}

/**
 * `customers` buyers with a quotation each; with `units` > 0 every request names coupon 90, limited to
 * `units`. `identical` > 0 instead: that many copies of one customer's request (a double-click storm).
 */
export function burstWorld(options: {
  customers: number;
  units?: number;
  /** The coupon's `used` as imported: units 1 … used are gone before the sale starts. */
  used?: number;
  identical?: number;
}): World {
  const demo = JSON.parse(readFileSync(new URL("../fixtures/shop.json", import.meta.url), "utf8")) as Row;
  const customers = Math.max(1, options.customers);
  const users = Array.from({ length: customers }, (_, i) => ({
    id: FIRST_USER + i,
    user_name: `buyer${i}`,
    group_id: 1,
    parent_id: 0,
    is_retailer: 0,
    status: 1,
  }));
  const quotations = users.map((user, i) => ({
    id: FIRST_QUOTATION + i,
    user_id: user.id,
    archive_id: 205,
    title: `Flash ${i}`,
    status: 2,
    quote_price: "20.00",
    quote_expire_time: 0,
    order_id: "",
  }));
  const sale = coupon({
    id: COUPON_ID,
    title: "Launch day 5.00 off",
    amount: 500,
    total: options.units ?? 0,
    used: options.used ?? 0,
  });
  const fixture = {
    ...demo,
    users: [...(demo.users as Row[]), ...users],
    comm_orders: [...(demo.comm_orders as Row[]), ...quotations],
    coupons: [...(demo.coupons as Row[]), sale],
  };
  const body = (i: number) => ({
    comm_order_id: FIRST_QUOTATION + i,
    ...(options.units ? { coupon_id: COUPON_ID } : {}),
  });
  const requests = options.identical
    ? Array.from({ length: options.identical }, () => ({ userId: FIRST_USER, body: body(0) }))
    : users.map((user, i) => ({ userId: user.id, body: body(i) }));
  return { fixture, requests };
}

const tokens = new Map<number, string>();
export async function tokenFor(userId: number): Promise<string> {
  let token = tokens.get(userId);
  if (!token) {
    token = await signToken(SECRET, userId, Math.floor(Date.now() / 1000) + 86_400);
    tokens.set(userId, token);
  }
  return token;
}
