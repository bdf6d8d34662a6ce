// The interface document's own example, sent as the committed API Gateway event.
import assert from "node:assert/strict";
import { test } from "node:test";
import { COUNTS_AFTER_ALICE_ORDERS_7 } from "./support/fixtures.ts";
import { fixtureEvent, openShop } from "./support/shop.ts";

test("the interface document's request answers its response shape, priced at the quote", async () => {
  const shop = await openShop();
  const answer = await shop.invoke(fixtureEvent("accept-interface-example"));

  assert.equal(answer.status, 200);
  assert.equal(answer.code, 0);
  assert.equal(answer.msg, "");
  const order = answer.data;
  const documented = [
    "id",
    "created_time",
    "updated_time",
    "order_id",
    "payment_id",
    "user_id",
    "address_id",
    "remark",
    "type",
    "status",
    "refund_status",
    "origin_amount",
    "amount",
    "paid_time",
    "end_time",
    "deliver_time",
    "finished_time",
    "discount_amount",
    "seller_id",
    "seller_amount",
    "share_user_id",
    "share_parent_user_id",
    "share_amount",
    "share_parent_amount",
    "express_company",
    "tracking_number",
  ];
  for (const field of documented) assert.ok(field in order, `data.${field} is missing`);
  assert.equal(order.amount, 9900);
  assert.equal(order.origin_amount, 9900);
  assert.equal(order.discount_amount, 0);
  assert.equal(order.seller_id, 15);
  assert.equal(order.seller_amount, 7920);
  assert.equal(order.share_user_id, 0);
  assert.equal(order.share_amount, 0);
  assert.equal(order.user_id, 1000);
  assert.equal(order.status, 0);
  assert.equal(order.refund_status, 0);
  assert.equal(order.type, "goods");
  assert.equal(order.remark, "定制商品订单");
  assert.equal(order.payment_id, "");
  assert.equal(order.address_id, 0);
  assert.equal(order.comm_order_id, 7);
  assert.equal(order.end_time, Number(order.created_time) + 30 * 60);
  assert.match(String(order.order_id), /^\d{18}$/);
  assert.equal(String(order.order_id).slice(-4), String(Number(order.id) % 10_000).padStart(4, "0"));

  const counts = await shop.counts();
  assert.deepEqual(counts, COUNTS_AFTER_ALICE_ORDERS_7);
  const [commission] = await shop.ofEntity("Commission");
  assert.equal(commission?.type, "seller");
  assert.equal(commission?.user_id, 15);
  assert.equal(commission?.amount, 7920);
  assert.equal(commission?.order_amount, 9900);
  const quotation = (await shop.ofEntity("CommOrder")).find((item) => item.id === 7);
  assert.equal(quotation?.status, 3);
  assert.equal(quotation?.order_id, order.order_id);
});
