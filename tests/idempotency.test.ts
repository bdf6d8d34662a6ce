// Rule 8 (docs/accept.md), idempotent by quotation: the same request for an accepted quotation gets its order back and
// writes nothing; any other request for it is refused, and writes nothing either.
import assert from "node:assert/strict";
import { test } from "node:test";
import { aliceHome, COUNTS_AFTER_ALICE_ORDERS_7 } from "./support/fixtures.ts";
import { assertInvariants } from "./support/invariants.ts";
import { type Answer, openShop, type Shop } from "./support/shop.ts";

const DIFFERENT_REQUEST = "quotation has already been accepted with a different request";

function assertOrder(answer: Answer): Answer["data"] {
  assert.equal(answer.status, 200);
  assert.equal(answer.code, 0, answer.msg);
  assert.equal(answer.msg, "");
  return answer.data;
}

async function assertRefusedWithNothingWritten(shop: Shop, body: unknown, message: string, userId = 1000) {
  const before = await shop.snapshot();
  const answer = await shop.accept(body, { userId });
  assert.deepEqual(
    { status: answer.status, code: answer.code, msg: answer.msg, data: answer.data },
    { status: 200, code: -1, msg: message, data: undefined },
    `${JSON.stringify(body)} as user ${userId}`,
  );
  assert.deepEqual(await shop.snapshot(), before);
}

test("an identical re-accept, in any spelling and an hour later, replays the order and writes nothing", async () => {
  let clock = 1_700_000_000;
  const shop = await openShop(undefined, { now: () => clock });
  const order = assertOrder(await shop.accept({ comm_order_id: 7 }));
  assert.equal(order.amount, 9900);
  assert.equal(order.seller_amount, 7920);
  assert.equal(order.remark, "Custom site theme");
  assert.equal(order.created_time, 1_700_000_000);
  const before = await shop.snapshot();

  clock += 3600;
  const spellings = [
    { comm_order_id: 7 },
    // The defaults written out: quantity 1, the quotation's product, no SKU, type goods, empty remark.
    { comm_order_id: 7, goods_id: 188, quantity: 1, goods_sku_id: 0, remark: " ", type: "goods" },
    { comm_order_id: 7, quantity: 0, coupon_id: 0, coupon_code_id: 0 },
    { comm_order_id: 7, details: [{ goods_id: 188, quantity: 1 }], cart_ids: [3, 4] },
  ];
  for (const body of spellings) {
    assert.deepEqual(assertOrder(await shop.accept(body)), order, JSON.stringify(body));
  }
  assert.deepEqual(await shop.snapshot(), before);
  assert.deepEqual(await shop.counts(), COUNTS_AFTER_ALICE_ORDERS_7);
  await assertInvariants(shop);
});

test("a re-accept with voucher and saved address replays: the voucher is spent once, no new snapshot", async () => {
  const shop = await openShop();
  const body = {
    comm_order_id: 8,
    goods_id: 205,
    goods_sku_id: 2052,
    coupon_code: "WELCOME10",
    address: { id: 1, phone: "13900000009" },
  };
  const order = assertOrder(await shop.accept(body, { userId: 1001 }));
  // 450.50 less the 10.00 voucher; carol (15%) and dave (5%) promote, the seller gets 80% of the rest.
  assert.deepEqual([order.origin_amount, order.discount_amount, order.amount], [45050, 1000, 44050]);
  assert.deepEqual(
    [order.share_user_id, order.share_amount, order.share_parent_user_id, order.share_parent_amount],
    [1002, 6607, 1003, 2202],
  );
  assert.equal(order.seller_amount, 28192);
  assert.equal(order.order_address?.phone, "13900000009");
  const before = await shop.snapshot();

  assert.deepEqual(assertOrder(await shop.accept(body, { userId: 1001 })), order);
  // The defaults written out are the same request too.
  const spelt = { ...body, quantity: 1, remark: "", type: "goods", coupon_id: 0 };
  assert.deepEqual(assertOrder(await shop.accept(spelt, { userId: 1001 })), order);
  assert.deepEqual(await shop.snapshot(), before);
  const [voucher] = await shop.ofEntity("CouponCode");
  assert.deepEqual([voucher?.status, voucher?.used_order_id], [1, order.order_id]);
  await assertInvariants(shop);
});

test("a re-accept with a new address replays without adding it to the address book twice", async () => {
  const shop = await openShop();
  const address = aliceHome;
  const order = assertOrder(await shop.accept({ comm_order_id: 7, address }));
  assert.equal((await shop.counts()).Address, 2);
  const before = await shop.snapshot();
  // Strings are trimmed before they are compared: the same address, spelt with spaces.
  const spaced = { ...address, name: " Alice ", city: "Shenzhen " };
  assert.deepEqual(assertOrder(await shop.accept({ comm_order_id: 7, address: spaced })), order);
  assert.deepEqual(await shop.snapshot(), before);
  await assertInvariants(shop);
});

test("any other request for an accepted quotation is refused, exactly, and writes nothing", async () => {
  const shop = await openShop();
  assertOrder(await shop.accept({ comm_order_id: 7 }));
  const others = [
    { comm_order_id: 7, quantity: 2 },
    { comm_order_id: 7, details: [{ goods_id: 188, quantity: 3 }] },
    { comm_order_id: 7, remark: "rush, please" },
    // The remark is compared as sent: naming the title it defaulted to is another request.
    { comm_order_id: 7, remark: "Custom site theme" },
    { comm_order_id: 7, goods_sku_id: 2051 },
    { comm_order_id: 7, coupon_id: 1 },
    { comm_order_id: 7, coupon_code: "WELCOME10" },
    { comm_order_id: 7, address: { id: 1 } },
    {
      comm_order_id: 7,
      address: aliceHome,
    },
  ];
  for (const body of others) await assertRefusedWithNothingWritten(shop, body, DIFFERENT_REQUEST);
  // The quotation's product must still match before anything is replayed.
  await assertRefusedWithNothingWritten(
    shop,
    { comm_order_id: 7, goods_id: 205 },
    "goods_id is not the product of this quotation",
  );
  // Another customer cannot even see it, let alone replay its order.
  await assertRefusedWithNothingWritten(shop, { comm_order_id: 7 }, "quotation not found", 1001);
  assert.equal((await shop.counts()).Order, 1);
  await assertInvariants(shop);
});
