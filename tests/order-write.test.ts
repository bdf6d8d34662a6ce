// Rule 8 (docs/accept.md): the order as written, its number, ids, and the quotation's move to accepted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { aliceHome, demoWith } from "./support/fixtures.ts";
import { openShop, suffixes } from "./support/shop.ts";

const CREATED = 1669212548; // the interface document's created_time: 2022-11-23 22:09:08 in Shanghai

test("a new order awaits payment, with its times and the quotation accepted", async () => {
  const shop = await openShop(undefined, { now: () => CREATED });
  const answer = await shop.accept({ comm_order_id: 7, remark: "rush please" });
  assert.equal(answer.code, 0, answer.msg);
  const { data } = answer;
  assert.deepEqual(
    [
      data.status,
      data.refund_status,
      data.type,
      data.payment_id,
      data.paid_time,
      data.deliver_time,
      data.finished_time,
    ],
    [0, 0, "goods", "", 0, 0, 0],
  );
  assert.deepEqual([data.created_time, data.updated_time, data.end_time], [CREATED, CREATED, CREATED + 1800]);
  assert.deepEqual([data.express_company, data.tracking_number, data.remark], ["", "", "rush please"]);
  assert.deepEqual([data.coupon_code_id, data.coupon_id, data.comm_order_id], [0, 0, 7]);
  // The id is the local second (as if UTC) × 10,000 + the number's last four digits: no counter.
  assert.equal(Math.floor(Number(data.id) / 10_000), Date.UTC(2022, 10, 23, 22, 9, 8) / 1000);
  assert.equal(data.order_id, `20221123220908${String(Number(data.id) % 10_000).padStart(4, "0")}`);

  const [stored] = await shop.ofEntity("Order");
  assert.equal(stored?.order_id, data.order_id);
  assert.equal(stored?.amount, 9900);
  const quotation = (await shop.ofEntity("CommOrder")).find((item) => item.id === 7);
  assert.deepEqual(
    [quotation?.status, quotation?.order_id, quotation?.accepted_time, quotation?.updated_time],
    [3, data.order_id, CREATED, CREATED],
  );
  const [detail] = await shop.ofEntity("OrderDetail");
  assert.deepEqual(
    [
      detail?.order_id,
      detail?.user_id,
      detail?.goods_id,
      detail?.goods_item_id,
      detail?.price,
      detail?.origin_price,
    ],
    [data.order_id, 1000, 188, 0, 9900, 12900],
  );
  assert.deepEqual(
    [detail?.quantity, detail?.amount, detail?.origin_amount, detail?.status],
    [1, 9900, 9900, 1],
  );
});

test("the order number follows the site's time zone; no auto-close means end_time 0", async () => {
  const shop = await openShop(demoWith({ settings: { timezone: "UTC", auto_close_minute: 0 } }), {
    now: () => CREATED,
  });
  const answer = await shop.accept({ comm_order_id: 7 });
  assert.match(String(answer.data.order_id), /^20221123140908\d{4}$/);
  assert.equal(answer.data.end_time, 0);
});

test("ids come from the second and the number's suffix: the detail line, snapshot and new address share the order's", async () => {
  const quotations = [80, 81, 82].map((id) => ({
    id,
    user_id: 1000,
    archive_id: 205,
    title: `Q${id}`,
    status: 2,
    quote_price: "1",
  }));
  const shop = await openShop(demoWith({ comm_orders: quotations }), {
    now: () => CREATED,
    random: suffixes(9998),
  });
  const ids: number[] = [];
  for (const { id } of quotations) {
    const answer = await shop.accept({ comm_order_id: id, address: aliceHome });
    assert.equal(answer.code, 0, answer.msg);
    ids.push(Number(answer.data.id));
  }
  const second = 16_692_413_48; // 2022-11-23 22:09:08, Shanghai wall clock read as UTC
  // The container's suffixes run on from a random start (9998 here), wrapping after 9999.
  assert.deepEqual(ids, [second * 10_000 + 9998, second * 10_000 + 9999, second * 10_000]);
  const byOrder = (entity: string) =>
    shop.ofEntity(entity).then((items) => items.map((item) => [item.order_id, item.id]).sort());
  const numbers = ["202211232209089998", "202211232209089999", "202211232209080000"];
  const expected = numbers.map((number, index) => [number, ids[index]]).sort();
  assert.deepEqual(await byOrder("OrderDetail"), expected);
  assert.deepEqual(await byOrder("OrderAddress"), expected);
  // Commissions: the order's id × 10 + 1, 2, 3 (here the seller's alone).
  assert.deepEqual(
    await byOrder("Commission"),
    numbers.map((number, index) => [number, (ids[index] as number) * 10 + 1]).sort(),
  );
  // The new address-book entries take their orders' ids too: no counter is written.
  const saved = (await shop.ofEntity("Address")).filter((address) => address.user_id === 1000);
  assert.deepEqual(saved.map((address) => address.id).sort(), [...ids].sort());
  assert.deepEqual(await shop.ofEntity("Counter"), []);
});

test("an order number already taken is never overwritten: the order gets a new id", async () => {
  const shop = await openShop(undefined, { now: () => CREATED, random: suffixes(1, 2) });
  // Another container's order already holds the number suffix 1 gives in this second.
  const taken = "202211232209080001";
  await shop.doc.send(
    new PutCommand({
      TableName: shop.table,
      Item: { pk: `ORDER#${taken}`, sk: "ORDER", entity: "Order", id: 10_001, order_id: taken },
    }),
  );
  const answer = await shop.accept({ comm_order_id: 7 });
  assert.equal(answer.code, 0, answer.msg);
  assert.equal(answer.data.order_id, "202211232209080002");
  assert.equal(answer.data.id, 16_692_413_480_002);
  const orders = await shop.ofEntity("Order");
  assert.equal(orders.length, 2);
  assert.equal(orders.find((order) => order.order_id === taken)?.id, 10_001, "the other order is untouched");
});
