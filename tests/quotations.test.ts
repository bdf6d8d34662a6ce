// Spec §4: which quotation, and whether it may be accepted. Every refusal writes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { demoWith } from "./support/fixtures.ts";
import { openShop, type Shop } from "./support/shop.ts";

const NOW = 1_700_000_000;

async function refused(shop: Shop, body: object, msg: string, userId = 1000) {
  const before = await shop.snapshot();
  const answer = await shop.accept(body, { userId });
  assert.deepEqual([answer.status, answer.code, answer.msg], [200, -1, msg]);
  assert.deepEqual(await shop.snapshot(), before, "nothing was written");
}

test("another user's quotation is as unknown as a missing one", async () => {
  const shop = await openShop();
  await refused(shop, { comm_order_id: 8 }, "quotation not found"); // bob's, asked by alice
  await refused(shop, { comm_order_id: 999 }, "quotation not found");
});

test("without comm_order_id: the one quoted quotation for the product, else a clear -1", async () => {
  const shop = await openShop(
    demoWith({
      comm_orders: [
        { id: 20, user_id: 1000, archive_id: 205, title: "Logo A", status: 2, quote_price: "100" },
        { id: 21, user_id: 1000, archive_id: 205, title: "Logo B", status: 2, quote_price: "120" },
      ],
    }),
  );
  await refused(shop, { goods_id: 205 }, "several quotations await you for this product: send comm_order_id");
  await refused(shop, { goods_id: 301 }, "no quotation awaits you for goods_id 301");
  const chosen = await shop.accept({ comm_order_id: 21, goods_id: 205 });
  assert.equal(chosen.code, 0, chosen.msg);
  assert.equal(chosen.data.amount, 12000);
  const single = await shop.accept({ goods_id: 205, quantity: 2 });
  assert.equal(single.code, 0, single.msg);
  assert.equal(single.data.comm_order_id, 20);
  assert.equal(single.data.amount, 20000);
});

test("only a quoted quotation may be accepted", async () => {
  const shop = await openShop(
    demoWith({
      comm_orders: [
        { id: 30, user_id: 1000, archive_id: 188, status: 0, quote_price: "" },
        { id: 31, user_id: 1000, archive_id: 188, status: 1, quote_price: "" },
        { id: 32, user_id: 1000, archive_id: 188, status: 4, quote_price: "99" },
        { id: 33, user_id: 1000, archive_id: 188, status: -1, quote_price: "99" },
        { id: 34, user_id: 1000, archive_id: 188, status: 3, quote_price: "99", order_id: "" },
      ],
    }),
  );
  await refused(shop, { comm_order_id: 30 }, "quotation has not been quoted yet");
  await refused(shop, { comm_order_id: 31 }, "quotation has not been quoted yet");
  await refused(shop, { comm_order_id: 32 }, "quotation is no longer open");
  await refused(shop, { comm_order_id: 33 }, "quotation is no longer open");
  await refused(shop, { comm_order_id: 34 }, "quotation has already been accepted with a different request");
});

test("an expired quote is refused; one expiring later is fine", async () => {
  const shop = await openShop(
    demoWith({
      comm_orders: [
        { id: 40, user_id: 1000, archive_id: 188, status: 2, quote_price: "99", quote_expire_time: NOW - 1 },
        { id: 41, user_id: 1000, archive_id: 188, status: 2, quote_price: "99", quote_expire_time: NOW + 60 },
      ],
    }),
    { now: () => NOW },
  );
  await refused(shop, { comm_order_id: 40 }, "quotation expired");
  const answer = await shop.accept({ comm_order_id: 41 });
  assert.equal(answer.code, 0, answer.msg);
});

test("the quote price must be a positive amount with at most 2 decimals", async () => {
  const prices = ["0", "0.00", "-5", "9.999", "abc", "1e3", ""];
  const shop = await openShop(
    demoWith({
      comm_orders: prices.map((quote_price, index) => ({
        id: 50 + index,
        user_id: 1000,
        archive_id: 188,
        status: 2,
        quote_price,
      })),
    }),
  );
  for (const [index] of prices.entries()) {
    await refused(shop, { comm_order_id: 50 + index }, "quotation has no valid price");
  }
});

test("the product must be the quotation's, exist and be published", async () => {
  const shop = await openShop(
    demoWith({
      comm_orders: [
        { id: 60, user_id: 1000, archive_id: 301, status: 2, quote_price: "10" },
        { id: 61, user_id: 1000, archive_id: 999, status: 2, quote_price: "10" },
      ],
    }),
  );
  await refused(shop, { comm_order_id: 7, goods_id: 205 }, "goods_id is not the product of this quotation");
  await refused(
    shop,
    { comm_order_id: 7, details: [{ goods_id: 205, quantity: 1 }] },
    "goods_id is not the product of this quotation",
  );
  await refused(shop, { comm_order_id: 60 }, "the product is not found or not on sale");
  await refused(shop, { comm_order_id: 61 }, "the product is not found or not on sale");
});

test("a SKU must be one of the product's; the quote prices it, the catalogue price is kept", async () => {
  const shop = await openShop();
  await refused(
    shop,
    { comm_order_id: 8, goods_sku_id: 9999 },
    "goods_sku_id is not a SKU of this product",
    1001,
  );
  await refused(shop, { comm_order_id: 7, goods_sku_id: 2052 }, "goods_sku_id is not a SKU of this product");
  const answer = await shop.accept({ comm_order_id: 8, goods_sku_id: 2052, quantity: 2 }, { userId: 1001 });
  assert.equal(answer.code, 0, answer.msg);
  assert.equal(answer.data.origin_amount, 90100);
  const [detail] = await shop.ofEntity("OrderDetail");
  assert.equal(detail?.goods_item_id, 2052);
  assert.equal(detail?.price, 45050);
  assert.equal(detail?.origin_price, 45000);
  assert.equal(detail?.quantity, 2);
  assert.equal(detail?.origin_amount, 90100);
});
