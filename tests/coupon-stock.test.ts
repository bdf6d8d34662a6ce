// A campaign coupon's tickets on DynamoDB Local (docs/data-model.md, "A coupon's use count"): a changed
// total counts every use, a ticket that never committed is sold again, and a coupon known to be sold out
// costs a refused customer no write at all. tests/unit/coupon-stock.test.ts runs the interleavings.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { HOLD_SECONDS } from "../lib/domain/coupon-stock.ts";
import { one, setCouponTotal } from "./support/coupons.ts";
import { connectionReset, faultInjector } from "./support/faults.ts";
import { burstWorld, COUPON_ID } from "./support/flash-sale.ts";
import { assertInvariants } from "./support/invariants.ts";
import { NOW } from "./support/rows.ts";
import { openShop, type Shop } from "./support/shop.ts";

const SOLD_OUT = "coupon is sold out";

/** A shop of `customers` buyers with a quotation each, coupon 90 limited to `units`; a clock it moves. */
async function campaignShop(customers: number, units: number) {
  const world = burstWorld({ customers, units });
  const clock = { now: NOW };
  const faults = faultInjector();
  const shop = await openShop(world.fixture, { now: () => clock.now, configure: faults.configure });
  const buy = async (i: number) => {
    const request = world.requests[i];
    // Coupon 90 by id, limited or not (burstWorld names it only when limited).
    const body = { ...request?.body, coupon_id: COUPON_ID };
    const answer = await shop.accept(body, { userId: request?.userId ?? 0 });
    if (answer.code === 0) return Number(answer.data.amount);
    return answer.status === 200 ? answer.msg : `HTTP ${answer.status}`;
  };
  return { shop, clock, faults, buy };
}

const unitsSold = async (shop: Shop) =>
  (await shop.ofEntity("CouponUnit")).map((unit) => Number(unit.unit)).sort((a, b) => a - b);

test("a lowered total stops sales: 5 of 20 sold, total set to 5, the next three refused with no transaction", async () => {
  const { shop, faults, buy } = await campaignShop(8, 20);
  for (let i = 0; i < 5; i++) assert.equal(await buy(i), 1500);
  await setCouponTotal(shop, COUPON_ID, 5);
  const transactions = faults.of("TransactWriteItems").length;
  assert.deepEqual([await buy(5), await buy(6), await buy(7)], [SOLD_OUT, SOLD_OUT, SOLD_OUT]);
  assert.equal(faults.of("TransactWriteItems").length, transactions, "the refused send no transaction");
  assert.deepEqual(await unitsSold(shop), [1, 2, 3, 4, 5]);
  assert.equal((await shop.ofEntity("Order")).length, 5);
  await assertInvariants(shop);
});

test("uses while unlimited count: 4 uses, total set to 4, three refused; raised to 5, one more sells", async () => {
  const { shop, buy } = await campaignShop(8, 0);
  for (let i = 0; i < 4; i++) assert.equal(await buy(i), 1500);
  await setCouponTotal(shop, COUPON_ID, 4);
  assert.deepEqual([await buy(4), await buy(5), await buy(6)], [SOLD_OUT, SOLD_OUT, SOLD_OUT]);
  await setCouponTotal(shop, COUPON_ID, 5);
  assert.equal(await buy(7), 1500);
  assert.deepEqual(await unitsSold(shop), [1, 2, 3, 4, 5]);
  assert.equal((await one(shop, "CouponTickets", { coupon_id: COUPON_ID })).issued, 5);
  await assertInvariants(shop);
});

test(`a ticket whose transaction got no verdict is held ${HOLD_SECONDS} s, then sold to a later customer`, async () => {
  const { shop, clock, faults, buy } = await campaignShop(4, 2);
  // The first customer's transaction never reaches DynamoDB, and the SDK's retries meet the same.
  faults.set(async (attempt, send) => {
    if (attempt.command === "TransactWriteItems") throw connectionReset();
    return send();
  });
  assert.equal(await buy(0), "HTTP 503");
  faults.clear();
  const hold = await one(shop, "CouponHold", { coupon_id: COUPON_ID });
  assert.deepEqual([hold.unit, hold.until], [1, NOW + HOLD_SECONDS], "kept: it might still commit");

  assert.equal(await buy(1), 1500); // ticket 2, the last one
  clock.now = NOW + HOLD_SECONDS - 1;
  assert.equal(await buy(2), SOLD_OUT);
  assert.equal((await one(shop, "Coupon", { id: COUPON_ID })).sold_out_total ?? 0, 0, "not flagged");

  clock.now = NOW + HOLD_SECONDS;
  assert.equal(await buy(3), 1500, "the hole is sold");
  assert.deepEqual(await unitsSold(shop), [1, 2]);
  assert.equal((await shop.ofEntity("CouponHold")).length, 0);
  await assertInvariants(shop);
});

test("a ticket refused after it was taken (re-quoted meanwhile) is given back and sold at once", async () => {
  const { shop, faults, buy } = await campaignShop(3, 2);
  const world = burstWorld({ customers: 3, units: 2 });
  faults.set(async (attempt, send) => {
    if (attempt.command === "TransactWriteItems" && faults.of("TransactWriteItems").length === 1) {
      const quotation = await one(shop, "CommOrder", { id: world.requests[0]?.body.comm_order_id });
      await shop.doc.send(
        new PutCommand({ TableName: shop.table, Item: { ...quotation, quote_price: "25.00" } }),
      );
    }
    return send();
  });
  assert.match(String(await buy(0)), /price/);
  const given = await one(shop, "CouponHold", { coupon_id: COUPON_ID });
  assert.deepEqual([given.unit, given.until], [1, 0]);
  assert.equal(await buy(1), 1500); // ticket 2
  assert.equal(await buy(2), 1500, "the counter is exhausted: ticket 1 is taken over");
  assert.deepEqual(await unitsSold(shop), [1, 2]);
  await assertInvariants(shop);
});

test("a ticket never held (the hold's write failed) is found by a customer refused a ticket, then sold", async () => {
  const { shop, clock, faults, buy } = await campaignShop(4, 2);
  faults.set(async (attempt, send) => {
    if (attempt.command === "PutItem" && attempt.body.includes("#HOLDS")) throw connectionReset();
    return send();
  });
  assert.equal(await buy(0), "HTTP 503");
  faults.clear();
  assert.deepEqual(await shop.ofEntity("CouponHold"), [], "ticket 1 taken, never held");
  assert.equal(await buy(1), 1500); // ticket 2
  assert.equal(await buy(2), SOLD_OUT, "ticket 1 is found: held for nobody until it is surely lost");
  const found = await one(shop, "CouponHold", { coupon_id: COUPON_ID });
  assert.deepEqual([found.unit, found.holder, found.until], [1, "", NOW + HOLD_SECONDS]);
  clock.now = NOW + HOLD_SECONDS;
  assert.equal(await buy(3), 1500);
  assert.deepEqual(await unitsSold(shop), [1, 2]);
  await assertInvariants(shop);
});

test("sold out: before the flag one failed counter update and bounded reads of holds and last units; after it, reads only", async () => {
  const { shop, clock, faults, buy } = await campaignShop(4, 1);
  assert.equal(await buy(0), 1500);
  const callsOf = async (i: number) => {
    const from = faults.attempts.length;
    assert.equal(await buy(i), SOLD_OUT);
    return (
      faults.attempts
        .slice(from)
        // What a plain accept does not do: anything but GetItem, and queries of a coupon's partitions.
        .filter((a) => (a.command === "Query" ? a.body.includes('"COUPON#') : a.command !== "GetItem"))
    );
  };
  const fresh = await callsOf(1);
  assert.deepEqual(
    fresh.map((a) => [a.command, a.outcome]),
    [
      ["UpdateItem", "ConditionalCheckFailedException"],
      ["Query", "ok"], // the holds: none to sell again
      ["Query", "ok"], // the last tickets' holds, then their units: is one lost? No, sold.
      ["Query", "ok"],
    ],
  );
  clock.now = NOW + HOLD_SECONDS;
  await callsOf(2); // flags it
  const coupon = await one(shop, "Coupon", { id: COUPON_ID });
  assert.deepEqual([coupon.sold_out_total, coupon.sold_out_used], [1, 0]);
  assert.deepEqual(await callsOf(3), [], "no ticket asked for, no write, no read of the holds");
  assert.equal(faults.of("TransactWriteItems").length, 1);
});
