// Small fixtures built from the demo shop, so each test states only what it changes.
import { demoFixture } from "./shop.ts";

type Row = Record<string, unknown>;

/** The demo fixture with some rows of some lists changed (matched by id) or added. */
export function demoWith(changes: Record<string, Row[] | Row>): Record<string, unknown> {
  const fixture = demoFixture();
  for (const [list, value] of Object.entries(changes)) {
    if (!Array.isArray(value)) {
      fixture[list] = { ...(fixture[list] as Row), ...value };
      continue;
    }
    const rows = [...((fixture[list] as Row[] | undefined) ?? [])];
    for (const change of value) {
      const index = rows.findIndex((row) => row.id === change.id);
      if (index >= 0) rows[index] = { ...rows[index], ...change };
      else rows.push(change);
    }
    fixture[list] = rows;
  }
  return fixture;
}

/** A complete new address for alice, as a request sends it. */
export const aliceHome = {
  name: "Alice",
  phone: "13800000000",
  province: "Guangdong",
  city: "Shenzhen",
  country: "Nanshan",
  address_info: "1 Keyuan Road",
  postcode: "518000",
};

/**
 * The demo shop's counts (shop.counts()) after alice's one order of quotation 7, which names no coupon and
 * no new address: one order, its detail line, the seller's commission, and the demo's one saved address.
 */
export const COUNTS_AFTER_ALICE_ORDERS_7 = {
  Order: 1,
  OrderDetail: 1,
  OrderAddress: 0,
  Commission: 1,
  Address: 1,
  CouponUse: 0,
};
