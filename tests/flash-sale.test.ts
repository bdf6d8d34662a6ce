// A flash sale: customers, each with their own quotation, all naming one limited campaign coupon at the
// same moment, each through a container of its own (a cold Lambda: own SDK client, id pool, settings).
// Exact counts only, never timings (those are `npm run bench`): as many orders as units, every other
// customer refused "sold out", the coupon's use count equal to the orders carrying it, every unit sold
// once. Sizes pass on a busy 2-core machine; FLASH_CUSTOMERS / FLASH_UNITS make them larger.

// First, before anything loads Powertools' logger and metrics, which read their settings once.
import "./support/quiet-powertools.ts";

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createAcceptHandler } from "../lib/app/accept-handler.ts";
import { tally } from "./support/answers.ts";
import { setCouponTotal } from "./support/coupons.ts";
import { faultInjector } from "./support/faults.ts";
import { burstWorld, COUPON_ID, SECRET, tokenFor } from "./support/flash-sale.ts";
import { runs } from "./support/generated.ts";
import { assertInvariants } from "./support/invariants.ts";
import {
  type Answer,
  fixtureEvent,
  type Item,
  openShop,
  type Shop,
  TEST_LANGUAGE,
  testConfig,
} from "./support/shop.ts";

const CUSTOMERS = runs("FLASH_CUSTOMERS", 24);
const UNITS = runs("FLASH_UNITS", 15);
const SOLD_OUT = "coupon is sold out";

/** A cold container on the shop's table; exactly-once logic is tested, not latency: room to answer. */
function container(shop: Shop, configure?: (client: DynamoDBClient) => void) {
  const handler = createAcceptHandler(
    testConfig(shop.table, { tokenSecret: SECRET, settingsTtlSeconds: 60 }),
    {
      configure: (client) => {
        client.config.requestHandler = new NodeHttpHandler({
          connectionTimeout: 60_000,
          requestTimeout: 60_000,
        });
        configure?.(client);
      },
    },
  );
  return async (userId: number, body: unknown): Promise<Answer> => {
    const event = fixtureEvent("accept-interface-example");
    event.headers = {
      "content-type": "application/json",
      "accept-language": TEST_LANGUAGE,
      token: await tokenFor(userId),
    };
    event.body = JSON.stringify(body);
    const deadline = Date.now() + 60_000;
    const context = { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => deadline - Date.now() };
    const result = (await handler(event, context as never)) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode ?? 0, ...JSON.parse(String(result.body)), headers: {} };
  };
}

/** Counts the TransactWriteItems one container sends into `sent[i]`. */
const countTransactions = (sent: number[], i: number) => (client: DynamoDBClient) => {
  sent[i] = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "TransactWriteItemsCommand") sent[i] = (sent[i] ?? 0) + 1;
      return next(args);
    },
    { step: "initialize", name: "countTransactions" },
  );
};

/** Every request at once, each from a new container; `sent[i]`: the transactions request i sent. */
async function sale(shop: Shop, requests: ReturnType<typeof burstWorld>["requests"], sent: number[] = []) {
  const containers = requests.map((_, i) => container(shop, countTransactions(sent, i)));
  return Promise.all(
    requests.map((request, i) => containers[i]?.(request.userId, request.body) as Promise<Answer>),
  );
}

/** What the table says about coupon 90: its orders, its units (numbers, sorted), its use count. */
async function couponState(shop: Shop) {
  const items = await assertInvariants(shop);
  const orders = items.filter((item) => item.entity === "Order" && item.coupon_id === COUPON_ID);
  const units = items.filter((item) => item.entity === "CouponUnit" && item.coupon_id === COUPON_ID);
  const coupon = items.find((item) => item.entity === "Coupon" && item.id === COUPON_ID) as Item;
  return {
    orders,
    unitNumbers: units.map((unit) => Number(unit.unit)).sort((a, b) => a - b),
    unitOrders: new Set(units.map((unit) => unit.order_id)),
    useCount: Number(coupon.used) + units.length,
    coupon,
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

test(`${CUSTOMERS} customers, ${UNITS} units, all at once: ${UNITS} orders, the rest refused sold out`, async () => {
  const world = burstWorld({ customers: CUSTOMERS, units: UNITS });
  const shop = await openShop(world.fixture);
  const sent: number[] = [];
  const answers = await sale(shop, world.requests, sent);

  assert.deepEqual(tally(answers), {
    "200 code 0": UNITS,
    [`200 code -1 ${SOLD_OUT}`]: CUSTOMERS - UNITS,
  });
  const sold = answers.filter((answer) => answer.code === 0);
  // One transaction per unit sold: a retry only after an order-number clash between containers.
  assert.deepEqual(
    sent.filter((_, i) => answers[i]?.code !== 0),
    Array(CUSTOMERS - UNITS).fill(0),
    "refused customers send no transaction",
  );
  const sentBySold = sent.filter((_, i) => answers[i]?.code === 0);
  assert.ok(
    sentBySold.every((n) => n >= 1) && sum(sentBySold) <= UNITS + 3,
    `transactions: ${sum(sentBySold)}`,
  );
  // "20.00" less 5.00 each.
  assert.deepEqual(
    [
      ...new Set(
        sold.map(
          (answer) => `${answer.data.origin_amount}-${answer.data.discount_amount}=${answer.data.amount}`,
        ),
      ),
    ],
    ["2000-500=1500"],
  );
  const state = await couponState(shop);
  assert.equal(state.orders.length, UNITS);
  assert.deepEqual(state.unitNumbers, range(1, UNITS), "every unit sold exactly once");
  assert.deepEqual(state.unitOrders, new Set(sold.map((answer) => answer.data.order_id)));
  assert.equal(state.useCount, UNITS, "the use count is the orders carrying the coupon");
  assert.deepEqual([state.coupon.used, state.coupon.total], [0, UNITS], "the Coupon item is never written");
});

test("imported data: a coupon with used 12 of 20 sells 8 tickets, no more", async () => {
  const world = burstWorld({ customers: 12, units: 20, used: 12 });
  const shop = await openShop(world.fixture);
  const answers = await sale(shop, world.requests);
  assert.deepEqual(tally(answers), { "200 code 0": 8, [`200 code -1 ${SOLD_OUT}`]: 4 });
  const state = await couponState(shop);
  assert.deepEqual(state.unitNumbers, range(1, 8));
  assert.equal(state.useCount, 20);
});

test("a merchant raising the total after a sell-out sells the new units; lowering it sells no more", async () => {
  const world = burstWorld({ customers: 9, units: 5 });
  const shop = await openShop(world.fixture);
  const first = await sale(shop, world.requests.slice(0, 7));
  assert.deepEqual(tally(first), { "200 code 0": 5, [`200 code -1 ${SOLD_OUT}`]: 2 });

  await setCouponTotal(shop, COUPON_ID, 7);
  const refused = first.flatMap((answer, i) => (answer.code === 0 ? [] : [world.requests[i]]));
  const second = await sale(shop, refused as typeof world.requests);
  assert.deepEqual(tally(second), { "200 code 0": 2 });
  assert.deepEqual((await couponState(shop)).unitNumbers, range(1, 7));

  // Lowered below what was sold: sold units stay sold, nobody else gets one.
  await setCouponTotal(shop, COUPON_ID, 4);
  const third = await sale(shop, world.requests.slice(7));
  assert.deepEqual(tally(third), { [`200 code -1 ${SOLD_OUT}`]: 2 });
  const state = await couponState(shop);
  assert.equal(state.useCount, 7);
  assert.equal(state.orders.length, 7);
});

test("a unit another transaction holds (TransactionConflict on it): the accept backs off and keeps its ticket", async () => {
  const world = burstWorld({ customers: 1, units: 3 });
  const shop = await openShop(world.fixture);
  const faults = faultInjector();
  const tried: number[] = [];
  faults.set(async (attempt, send) => {
    if (attempt.command !== "TransactWriteItems") return send();
    // The input as sent: marshalled ({ S: ... }, { N: ... }).
    const items = attempt.input.TransactItems as unknown[];
    const unitAt = items.findIndex((item) => JSON.stringify(item).includes('"CouponUnit"'));
    tried.push(Number(/"unit":\{"N":"(\d+)"\}/.exec(JSON.stringify(items[unitAt]))?.[1]));
    if (tried.length > 1) return send();
    throw new TransactionCanceledException({
      message: "Transaction cancelled",
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: items.map((_, index) =>
        index === unitAt
          ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }
          : { Code: "None" },
      ),
    });
  });
  const [request] = world.requests;
  const answer = await container(shop, faults.configure)(request?.userId ?? 0, request?.body);
  assert.deepEqual([answer?.status, answer?.code], [200, 0]);
  assert.deepEqual(tried, [1, 1], "the retry sells the ticket it holds");
  const state = await couponState(shop);
  assert.deepEqual(state.unitNumbers, [1]);
  assert.equal(state.useCount, 1);
  assert.equal((await shop.ofEntity("CouponHold")).length, 0);
});
