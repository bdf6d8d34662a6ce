// Two orders racing for one coupon (rules 6 and 8, docs/accept.md). A barrier in the SDK middleware holds each
// transaction (or each ticket taken) until every racer has read the coupon as available and sent its write,
// so what stops the second redemption is the write's condition, not an earlier read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { one, openCouponShop, useCount } from "./support/coupons.ts";
import { ALICE, BOB, NOW, quotation } from "./support/rows.ts";
import type { Answer, Item, Shop } from "./support/shop.ts";

/**
 * Holds the first `parties` calls of `command` (TransactWriteItems: the transaction; UpdateItem: the
 * coupon's ticket) until all of them are in flight. The 60 s way out only ends a test that is failing
 * anyway (a racer never reached it): a busy machine may take seconds between two racers' reads, and
 * letting the first one through early would end the race.
 */
function writeBarrier(parties: number, command = "TransactWriteItemsCommand") {
  let transactions = 0;
  let arrived = 0;
  let release: () => void = () => {};
  const everyone = new Promise<void>((resolve) => {
    release = resolve;
  });
  const configure = (client: DynamoDBClient) => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "TransactWriteItemsCommand") transactions += 1;
        if (context.commandName === command && arrived < parties) {
          arrived += 1;
          if (arrived === parties) release();
          await Promise.race([everyone, sleep(60_000, undefined, { ref: false })]);
        }
        return next(args);
      },
      { step: "initialize", name: "testWriteBarrier" },
    );
  };
  return { configure, arrived: () => arrived, transactions: () => transactions };
}

const key = (item: Item) => `${item.pk} ${item.sk}`;

/**
 * Everything in the table after the race, except what the winner was entitled to write, is exactly as
 * before it: the loser wrote nothing at all. `changed` are the existing items the winner updates; a
 * coupon's ticket counter is checked by each test.
 */
async function assertOnlyWinnerWrote(shop: Shop, before: Item[], winnerNumber: string, changed: Item[]) {
  const exempt = new Set(changed.map(key));
  const untouched = (items: Item[]) =>
    items.filter(
      (item) =>
        !exempt.has(key(item)) && item.pk !== `ORDER#${winnerNumber}` && item.entity !== "CouponTickets",
    );
  assert.deepEqual(untouched(await shop.snapshot()), untouched(before));
}

function splitRace(answers: Answer[]) {
  const won = answers.filter((answer) => answer.code === 0);
  const lost = answers.filter((answer) => answer.code !== 0);
  assert.equal(won.length, 1, `exactly one racer wins: ${JSON.stringify(answers.map((a) => a.msg))}`);
  assert.equal(lost.length, answers.length - 1);
  return { winner: won[0] as Answer, losers: lost };
}

/**
 * Bob accepts his quotations 8 and 10 (120.00) at the same moment, naming the same coupon in both; both
 * racers must reach the transaction.
 */
async function bobRaces8And10(couponFields: Record<string, unknown>) {
  const barrier = writeBarrier(2);
  const shop = await openCouponShop(
    { comm_orders: [quotation({ id: 10, user_id: BOB, quote_price: "120.00" })] },
    { configure: barrier.configure },
  );
  const before = await shop.snapshot();
  const answers = await Promise.all(
    [8, 10].map((id) => shop.accept({ comm_order_id: id, ...couponFields }, { userId: BOB })),
  );
  assert.equal(barrier.arrived(), 2, "both racers must reach the transaction");
  return { shop, before, answers };
}

/** Every loser got the envelope's refusal: HTTP 200, code -1 and exactly `message`. */
function assertLosersRefused(losers: Answer[], message: string) {
  for (const loser of losers) {
    assert.equal(loser.status, 200);
    assert.equal(loser.msg, message);
    assert.equal(loser.code, -1);
  }
}

test("two quotations, one voucher, the same moment: one order carries it, the other is refused", async () => {
  const { shop, before, answers } = await bobRaces8And10({ coupon_code: "WELCOME10" });

  const { winner, losers } = splitRace(answers);
  assertLosersRefused(losers, "coupon_code has already been used");
  const wonId = Number(winner.data.comm_order_id);
  const lostId = wonId === 8 ? 10 : 8;
  const number = String(winner.data.order_id);
  // Quotation 8 is 45050 cents, quotation 10 is 12000: the winner pays 10.00 less.
  const origin = wonId === 8 ? 45050 : 12000;
  assert.deepEqual(
    [winner.data.origin_amount, winner.data.discount_amount, winner.data.amount, winner.data.coupon_code_id],
    [origin, 1000, origin - 1000, 1],
  );

  const orders = await shop.ofEntity("Order");
  assert.deepEqual(
    orders.map((order) => [order.order_id, order.comm_order_id, order.coupon_code_id, order.amount]),
    [[number, wonId, 1, origin - 1000]],
  );
  const spent = await one(shop, "CouponCode", { id: 1 });
  assert.deepEqual([spent.status, spent.used_order_id, spent.used_time], [1, number, NOW]);
  const won = await one(shop, "CommOrder", { id: wonId });
  assert.deepEqual([won.status, won.order_id], [3, number]);
  const lost = await one(shop, "CommOrder", { id: lostId });
  assert.deepEqual([lost.status, lost.order_id, lost.accepted_time], [2, "", 0]);
  await assertOnlyWinnerWrote(shop, before, number, [spent, won]);
});

test("the last unit of a campaign coupon, wanted by two customers at once: one gets it, the other sends no transaction", async () => {
  const barrier = writeBarrier(2, "UpdateItemCommand");
  const shop = await openCouponShop(
    {
      // Coupon 2 (90% on goods 205) has one unit left: total = used + 1.
      coupons: [
        {
          id: 2,
          title: "10% off logo design",
          type: "discount",
          percent: 90,
          goods_ids: [205],
          total: 3,
          used: 2,
          status: 1,
          public: 1,
        },
      ],
      coupon_codes: [],
      comm_orders: [quotation({ id: 11, user_id: ALICE, quote_price: "450.50" })],
    },
    { configure: barrier.configure },
  );
  const before = await shop.snapshot();
  const answers = await Promise.all([
    shop.accept({ comm_order_id: 8, coupon_id: 2 }, { userId: BOB }),
    shop.accept({ comm_order_id: 11, coupon_id: 2 }, { userId: ALICE }),
  ]);
  assert.equal(barrier.arrived(), 2, "both racers must ask for the ticket");
  assert.equal(barrier.transactions(), 1, "the refused one sends no transaction");

  const { winner, losers } = splitRace(answers);
  assertLosersRefused(losers, "coupon is sold out");
  const winnerId = Number(winner.data.user_id);
  const wonId = winnerId === BOB ? 8 : 11;
  const number = String(winner.data.order_id);
  // Both quotations are 45050 cents: 90% is 40545, 4505 off.
  assert.deepEqual(
    [winner.data.discount_amount, winner.data.amount, winner.data.coupon_id, winner.data.coupon_code_id],
    [4505, 40545, 2, 0],
  );

  // The Coupon item is not written: its use count is `used` (2) plus the one unit sold here, ticket 1.
  assert.equal(await useCount(shop, 2), 3);
  const units = await shop.ofEntity("CouponUnit");
  assert.deepEqual(
    units.map((unit) => [unit.coupon_id, unit.unit, unit.user_id, unit.order_id]),
    [[2, 1, winnerId, number]],
  );
  const tickets = await one(shop, "CouponTickets", { coupon_id: 2 });
  assert.equal(tickets.issued, 1, "the refused update took no ticket");
  assert.equal((await shop.ofEntity("CouponHold")).length, 0, "the winner's hold went with its transaction");
  const uses = await shop.ofEntity("CouponUse");
  assert.deepEqual(
    uses.map((use) => [use.coupon_id, use.user_id, use.order_id, use.created_time]),
    [[2, winnerId, number, NOW]],
  );
  assert.deepEqual(
    (await shop.ofEntity("Order")).map((order) => [order.order_id, order.coupon_id]),
    [[number, 2]],
  );
  const won = await one(shop, "CommOrder", { id: wonId });
  assert.deepEqual([won.status, won.order_id], [3, number]);
  const lost = await one(shop, "CommOrder", { id: wonId === 8 ? 11 : 8 });
  assert.deepEqual([lost.status, lost.order_id], [2, ""]);
  const [use] = uses as [Item];
  await assertOnlyWinnerWrote(shop, before, number, [won, use, ...units]);
});

test("one customer using a campaign coupon on two quotations at once: it counts once", async () => {
  const { shop, before, answers } = await bobRaces8And10({ coupon_id: 2 });

  const { winner, losers } = splitRace(answers);
  for (const loser of losers) {
    assert.equal(loser.msg, "coupon has already been used by this account");
    assert.equal(loser.code, -1);
  }
  const number = String(winner.data.order_id);
  const wonId = Number(winner.data.comm_order_id);
  assert.equal(await useCount(shop, 2), 1);
  const unit = await one(shop, "CouponUnit", { coupon_id: 2 });
  const use = await one(shop, "CouponUse", { user_id: BOB });
  assert.equal(use.order_id, number);
  assert.equal((await shop.counts()).Order, 1);
  assert.equal((await one(shop, "CommOrder", { id: wonId === 8 ? 10 : 8 })).status, 2);
  const won = await one(shop, "CommOrder", { id: wonId });
  // The loser's ticket is given back (until 0): the next customer refused a ticket sells its unit.
  const tickets = await one(shop, "CouponTickets", { coupon_id: 2 });
  assert.equal(tickets.issued, 2);
  const given = await one(shop, "CouponHold", { coupon_id: 2 });
  assert.deepEqual([given.unit, given.until], [3 - Number(unit.unit), 0]);
  await assertOnlyWinnerWrote(shop, before, number, [won, use, unit, given]);
});

test("the same accept with a voucher sent 5 times at once: one order, the voucher spent once, all get it", async () => {
  const barrier = writeBarrier(5);
  const shop = await openCouponShop({}, { configure: barrier.configure });
  const before = await shop.snapshot();
  const body = { comm_order_id: 8, coupon_code: "WELCOME10" };
  const answers = await Promise.all(Array.from({ length: 5 }, () => shop.accept(body, { userId: BOB })));
  assert.equal(barrier.arrived(), 5, "every racer must reach the transaction");

  assert.deepEqual(
    answers.map((answer) => [answer.code, answer.msg]),
    Array.from({ length: 5 }, () => [0, ""]),
  );
  const [first] = answers as [Answer];
  for (const answer of answers) assert.deepEqual(answer.data, first.data);
  assert.equal(first.data.discount_amount, 1000);
  assert.equal(first.data.amount, 44050);

  const number = String(first.data.order_id);
  assert.deepEqual(
    (await shop.ofEntity("Order")).map((order) => order.order_id),
    [number],
  );
  const spent = await one(shop, "CouponCode", { id: 1 });
  assert.deepEqual([spent.status, spent.used_order_id], [1, number]);
  const won = await one(shop, "CommOrder", { id: 8 });
  await assertOnlyWinnerWrote(shop, before, number, [spent, won]);
});
