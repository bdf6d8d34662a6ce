// Rule 4 (docs/accept.md): which quotation, and whether it may be accepted. Every refusal writes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { demoWith } from "./support/fixtures.ts";
import { assertRefused, openShop, type ShopOptions } from "./support/shop.ts";

const NOW = 1_700_000_000;

/**
 * The demo shop plus these quotations of alice's, each of product 188 and quoted (status 2) unless it
 * says otherwise.
 */
const openWithAlicesQuotations = (quotations: Record<string, unknown>[], options?: ShopOptions) =>
  openShop(
    demoWith({
      comm_orders: quotations.map((fields) => ({ user_id: 1000, archive_id: 188, status: 2, ...fields })),
    }),
    options,
  );

test("another user's quotation is as unknown as a missing one", async () => {
  const shop = await openShop();
  await assertRefused(shop, { comm_order_id: 8 }, { msg: "quotation not found" }); // bob's, asked by alice
  await assertRefused(shop, { comm_order_id: 999 }, { msg: "quotation not found" });
});

test("without comm_order_id: the one quoted quotation for the product, else a clear -1", async () => {
  const shop = await openWithAlicesQuotations([
    { id: 20, archive_id: 205, title: "Logo A", quote_price: "100" },
    { id: 21, archive_id: 205, title: "Logo B", quote_price: "120" },
  ]);
  await assertRefused(
    shop,
    { goods_id: 205 },
    { msg: "several quotations await you for this product: send comm_order_id" },
  );
  await assertRefused(shop, { goods_id: 301 }, { msg: "no quotation awaits you for goods_id 301" });
  const chosen = await shop.accept({ comm_order_id: 21, goods_id: 205 });
  assert.equal(chosen.code, 0, chosen.msg);
  assert.equal(chosen.data.amount, 12000);
  const single = await shop.accept({ goods_id: 205, quantity: 2 });
  assert.equal(single.code, 0, single.msg);
  assert.equal(single.data.comm_order_id, 20);
  assert.equal(single.data.amount, 20000);
});

test("only a quoted quotation may be accepted", async () => {
  const shop = await openWithAlicesQuotations([
    { id: 30, status: 0, quote_price: "" },
    { id: 31, status: 1, quote_price: "" },
    { id: 32, status: 4, quote_price: "99" },
    { id: 33, status: -1, quote_price: "99" },
    { id: 34, status: 3, quote_price: "99", order_id: "" },
  ]);
  await assertRefused(shop, { comm_order_id: 30 }, { msg: "quotation has not been quoted yet" });
  await assertRefused(shop, { comm_order_id: 31 }, { msg: "quotation has not been quoted yet" });
  await assertRefused(shop, { comm_order_id: 32 }, { msg: "quotation is no longer open" });
  await assertRefused(shop, { comm_order_id: 33 }, { msg: "quotation is no longer open" });
  await assertRefused(
    shop,
    { comm_order_id: 34 },
    { msg: "quotation has already been accepted with a different request" },
  );
});

test("an expired quote is refused; one expiring later is fine", async () => {
  const shop = await openWithAlicesQuotations(
    [
      { id: 40, quote_price: "99", quote_expire_time: NOW - 1 },
      { id: 41, quote_price: "99", quote_expire_time: NOW + 60 },
    ],
    { now: () => NOW },
  );
  await assertRefused(shop, { comm_order_id: 40 }, { msg: "quotation expired" });
  const answer = await shop.accept({ comm_order_id: 41 });
  assert.equal(answer.code, 0, answer.msg);
});

test("the quote price must be a positive amount with at most 2 decimals", async () => {
  const prices = ["0", "0.00", "-5", "9.999", "abc", "1e3", ""];
  const shop = await openWithAlicesQuotations(
    prices.map((quote_price, index) => ({ id: 50 + index, quote_price })),
  );
  for (const [index] of prices.entries()) {
    await assertRefused(shop, { comm_order_id: 50 + index }, { msg: "quotation has no valid price" });
  }
});

test("the product must be the quotation's, exist and be published", async () => {
  const shop = await openWithAlicesQuotations([
    { id: 60, archive_id: 301, quote_price: "10" },
    { id: 61, archive_id: 999, quote_price: "10" },
  ]);
  await assertRefused(
    shop,
    { comm_order_id: 7, goods_id: 205 },
    { msg: "goods_id is not the product of this quotation" },
  );
  await assertRefused(
    shop,
    { comm_order_id: 7, details: [{ goods_id: 205, quantity: 1 }] },
    { msg: "goods_id is not the product of this quotation" },
  );
  await assertRefused(shop, { comm_order_id: 60 }, { msg: "the product is not found or not on sale" });
  await assertRefused(shop, { comm_order_id: 61 }, { msg: "the product is not found or not on sale" });
});

test("a SKU must be one of the product's; the quote prices it, the catalogue price is kept", async () => {
  const shop = await openShop();
  await assertRefused(
    shop,
    { comm_order_id: 8, goods_sku_id: 9999 },
    { msg: "goods_sku_id is not a SKU of this product" },
    { userId: 1001 },
  );
  await assertRefused(
    shop,
    { comm_order_id: 7, goods_sku_id: 2052 },
    { msg: "goods_sku_id is not a SKU of this product" },
  );
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
