// Rules 1 and 3 (docs/accept.md) through the whole middy chain: the envelope, body parsing and its refusals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { signToken } from "../lib/auth/token.ts";
import { assertRefused, EVENT_SECRET, fixtureEvent, openShop } from "./support/shop.ts";

test("malformed bodies are a -1 naming the problem, and write nothing", async () => {
  const shop = await openShop();
  await assertRefused(shop, "{", { msg: "the request body must be a JSON object" });
  await assertRefused(shop, "", { msg: "the request body must be a JSON object" });
  await assertRefused(shop, "[1]", { msg: "the request body must be a JSON object" });
  await assertRefused(shop, '"goods"', { msg: "the request body must be a JSON object" });
  await assertRefused(shop, JSON.stringify({ goods_id: 188, remark: "x".repeat(64 * 1024) }), {
    msg: "the request body must be at most 64 KiB",
  });
  await assertRefused(shop, '{"goods_id":188,"quantity":1e4}', {
    msg: "quantity must be an integer from 0 to 9999",
  });
  await assertRefused(shop, '{"goods_id":188,"quantity":1.5}', {
    msg: "quantity must be an integer from 0 to 9999",
  });
  await assertRefused(shop, '{"goods_id":188,"quantity":true}', {
    msg: "quantity must be an integer from 0 to 9999",
  });
  // The parser's own refusals: a key that could reach a prototype, and JSON it cannot read.
  await assertRefused(shop, '{"goods_id":188,"__proto__":{"admin":true}}', {
    msg: "the request body must not use the key __proto__",
  });
  await assertRefused(shop, '{"goods_id":188,"constructor":{"prototype":{}}}', {
    msg: "the request body must not use the key constructor",
  });
  await assertRefused(shop, '{"goods_id":188,}', { msg: "the request body must be a JSON object" });
  await assertRefused(shop, '{"goods_id":188,"quantity":"1"}', {
    msg: "quantity must be an integer from 0 to 9999",
  });
  await assertRefused(
    shop,
    { goods_id: 188, type: "vip" },
    { msg: "type vip cannot accept a quotation: a quotation becomes a goods order" },
  );
  await assertRefused(shop, {}, { msg: "comm_order_id, goods_id or details is required" });
});

test("the committed refusal fixture answers -1 through the whole chain", async () => {
  const shop = await openShop();
  const answer = await shop.invoke(fixtureEvent("accept-quantity-not-integer"));
  assert.deepEqual(
    [answer.status, answer.code, answer.msg],
    [200, -1, "quantity must be an integer from 0 to 9999"],
  );
  assert.equal(answer.headers["content-type"], "application/json; charset=utf-8");
});

test("1.0 and 1e3 are the integers 1 and 1000: JSON has one number type", async () => {
  const shop = await openShop();
  const answer = await shop.accept('{"comm_order_id":7.0,"quantity":1e3,"coupon_id":0.0}');
  assert.deepEqual([answer.status, answer.code, answer.msg], [200, 0, ""]);
  assert.deepEqual([answer.data.comm_order_id, answer.data.origin_amount], [7, 9_900_000]);
});

test("a missing body is refused like an empty one", async () => {
  const shop = await openShop();
  const event = fixtureEvent("accept-interface-example");
  delete event.body;
  const answer = await shop.invoke(event);
  assert.deepEqual(
    [answer.status, answer.code, answer.msg],
    [200, -1, "the request body must be a JSON object"],
  );
});

test("AnqiCMS clients' extras are tolerated: unknown fields, base64 bodies, any content type", async () => {
  const shop = await openShop();
  const event = fixtureEvent("accept-interface-example");
  event.headers["content-type"] = "text/plain";
  event.body = Buffer.from(
    JSON.stringify({ goods_id: 188, quantity: 1, cart_ids: [3, 4], extra: { a: 1 } }),
  ).toString("base64");
  event.isBase64Encoded = true;
  const answer = await shop.invoke(event);
  assert.equal(answer.code, 0, answer.msg);
  assert.equal(answer.data.amount, 9900);
  assert.equal(answer.data.remark, "Custom site theme", "the remark defaults to the quotation's title");
});

test("a success is HTTP 200 with code 0, an empty msg and the order as data", async () => {
  const shop = await openShop();
  const token = await signToken(EVENT_SECRET, 1000, shop.now() + 86_400);
  const answer = await shop.accept({ comm_order_id: 7 }, { token });
  assert.deepEqual([answer.status, answer.code, answer.msg], [200, 0, ""]);
  assert.equal(answer.data.comm_order_id, 7);
  assert.deepEqual(
    answer.data.details?.map((line) => [line.goods_id, line.quantity, line.price]),
    [[188, 1, 9900]],
  );
  assert.equal(answer.data.order_address, null);
  assert.equal("accept_fingerprint" in answer.data, false, "internal fields stay internal");
});
