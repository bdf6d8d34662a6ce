// The invariant checker must catch what it claims to: each corruption of a real, consistent table is
// reported under the invariant it breaks, and only there.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { INVARIANTS, invariantViolations } from "./support/invariants.ts";
import { type Item, openShop } from "./support/shop.ts";

let consistent: Item[];

before(async () => {
  const shop = await openShop();
  const bob = await shop.accept(
    { comm_order_id: 8, coupon_code: "WELCOME10", address: { id: 1, phone: "13900000009" } },
    { userId: 1001 },
  );
  assert.equal(bob.code, 0, bob.msg);
  assert.equal(bob.data.amount, 44050);
  const alice = await shop.accept({ comm_order_id: 7 });
  assert.equal(alice.code, 0, alice.msg);
  consistent = await shop.items();
});

const orderOf = (items: Item[], userId: number) =>
  items.find((item) => item.entity === "Order" && item.user_id === userId) as Item;
const bobsOrder = (items: Item[]) => orderOf(items, 1001);

/** Applies a corruption to a copy of the consistent table; returns the invariants it breaks. */
function broken(corrupt: ((items: Item[]) => Item[]) | ((items: Item[]) => void)): number[] {
  const items = structuredClone(consistent);
  const replaced = corrupt(items);
  const violations = invariantViolations(Array.isArray(replaced) ? replaced : items);
  return [...new Set(violations.map((line) => INVARIANTS.findIndex((name) => line.startsWith(name))))].sort(
    (a, b) => a - b,
  );
}
const without = (items: Item[], drop: (item: Item) => boolean) => items.filter((item) => !drop(item));

test("a consistent table after two orders (voucher, snapshot, three commissions) passes", () => {
  assert.deepEqual(invariantViolations(consistent), []);
  const kinds = consistent.map((item) => item.entity);
  assert.equal(kinds.filter((kind) => kind === "Order").length, 2);
  assert.equal(kinds.filter((kind) => kind === "Commission").length, 4);
  assert.equal(kinds.filter((kind) => kind === "OrderAddress").length, 1);
});

test("each corruption is reported under the invariant it breaks", () => {
  // A second order for an accepted quotation, under another number (with no lines, on a spent voucher).
  assert.deepEqual(
    broken((items) => {
      const twin = { ...bobsOrder(items), id: 99, order_id: "202211232209089999" };
      return [...items, { ...twin, pk: "ORDER#202211232209089999" }];
    }),
    [0, 1, 3, 4, 6, 8],
  );
  // An accepted quotation whose order vanished: its detail, snapshot and commissions are orphans.
  assert.deepEqual(
    broken((items) => without(items, (item) => item === orderOf(items, 1000))),
    [0, 5],
  );
  // A quotation back to status 2 while its order exists.
  assert.deepEqual(
    broken((items) => {
      const quotation = items.find((item) => item.entity === "CommOrder" && item.id === 8) as Item;
      quotation.status = 2;
    }),
    [1, 2],
  );
  // An order without its detail line; an order whose detail line disagrees with it.
  assert.deepEqual(
    broken((items) =>
      without(items, (item) => item.entity === "OrderDetail" && item.pk === bobsOrder(items).pk),
    ),
    [3],
  );
  assert.deepEqual(
    broken((items) => {
      const detail = items.find((item) => item.entity === "OrderDetail" && item.pk === bobsOrder(items).pk);
      (detail as Item).quantity = 2;
    }),
    [3],
  );
  // A snapshot lost, and a snapshot for an order that ships nowhere.
  assert.deepEqual(
    broken((items) => without(items, (item) => item.entity === "OrderAddress")),
    [4],
  );
  assert.deepEqual(
    broken((items) => {
      const snapshot = items.find((item) => item.entity === "OrderAddress") as Item;
      return [
        ...items,
        { ...snapshot, pk: orderOf(items, 1000).pk, order_id: orderOf(items, 1000).order_id },
      ];
    }),
    [4, 7],
  );
  // A commission that outgrows the order; one filed in no order's partition.
  assert.deepEqual(
    broken((items) => {
      const seller = items.find((item) => item.entity === "Commission" && item.pk === bobsOrder(items).pk);
      (seller as Item).amount = 44050;
    }),
    [6],
  );
  assert.deepEqual(
    broken((items) => {
      const commission = items.find((item) => item.entity === "Commission") as Item;
      return [
        ...items,
        { ...commission, id: 77, pk: "ORDER#202201010000000001", order_id: "202201010000000001" },
      ];
    }),
    [5],
  );
  // Two orders sharing an id.
  assert.deepEqual(
    broken((items) => {
      orderOf(items, 1000).id = bobsOrder(items).id;
    }),
    [7],
  );
  // A spent voucher that names no order; an order whose voucher is still unspent.
  assert.deepEqual(
    broken((items) => {
      const voucher = items.find((item) => item.entity === "CouponCode") as Item;
      voucher.used_order_id = "202201010000000001";
    }),
    [8],
  );
  assert.deepEqual(
    broken((items) => {
      const voucher = items.find((item) => item.entity === "CouponCode") as Item;
      Object.assign(voucher, { status: 0, used_order_id: "" });
    }),
    [8],
  );
  // A campaign use naming no order, beyond what the coupon counted.
  assert.deepEqual(
    broken((items) => [
      ...items,
      {
        entity: "CouponUse",
        pk: "COUPON#2",
        sk: "USE#1000",
        coupon_id: 2,
        user_id: 1000,
        order_id: "202201010000000001",
        created_time: 1,
      },
    ]),
    [9, 10],
  );
  // A lone surrogate in a remark, in a nested attribute, in an attribute name.
  assert.deepEqual(
    broken((items) => {
      bobsOrder(items).remark = "rush \ud800";
    }),
    [11],
  );
  assert.deepEqual(
    broken((items) => {
      const goods = items.find((item) => item.entity === "Goods") as Item;
      goods.skus = [{ id: 1, title: "\udfff" }];
    }),
    [11],
  );
  assert.deepEqual(
    broken((items) => {
      bobsOrder(items)["\ud83d"] = 1;
    }),
    [11],
  );
  // Text past its limit in code points (emoji count once): a remark, a snapshot's name, a saved postcode.
  // At the limit is fine.
  assert.deepEqual(
    broken((items) => {
      bobsOrder(items).remark = "😀".repeat(250);
      (items.find((item) => item.entity === "OrderAddress") as Item).name = "汉".repeat(64);
      (items.find((item) => item.entity === "Address") as Item).postcode = "e\u0301".repeat(18);
    }),
    [],
  );
  assert.deepEqual(
    broken((items) => {
      bobsOrder(items).remark = "😀".repeat(251);
    }),
    [12],
  );
  assert.deepEqual(
    broken((items) => {
      (items.find((item) => item.entity === "OrderAddress") as Item).name = "汉".repeat(65);
    }),
    [12],
  );
  assert.deepEqual(
    broken((items) => {
      (items.find((item) => item.entity === "Address") as Item).postcode = `${"e\u0301".repeat(18)}x`;
    }),
    [12],
  );
});
