// Rule 8 (docs/accept.md) under concurrency: many accepts of one quotation at once, from one container or several,
// and a merchant changing the quotation between the handler's read and its write.

// First, before anything loads Powertools' logger and metrics, which read their settings once.
import "./support/quiet-powertools.ts";

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createAcceptHandler } from "../lib/app/accept-handler.ts";
import { signToken } from "../lib/auth/token.ts";
import { faultInjector } from "./support/faults.ts";
import { assertInvariants } from "./support/invariants.ts";
import { merchant } from "./support/merchant.ts";
import {
  type Answer,
  EVENT_SECRET,
  fixtureEvent,
  openShop,
  type Shop,
  suffixes,
  TEST_LANGUAGE,
  testConfig,
} from "./support/shop.ts";

/**
 * Races test exactly-once logic, not latency. A call's connection timeout counts from the call's creation
 * (lib/store/client.ts): 50 requests at once in one process, beside another suite on a small CI machine,
 * queue for the 50 pooled sockets and stall the event loop, and the 503s that follow would be the
 * harness's, not DynamoDB's. The racing clients get room; faults are tested elsewhere.
 */
function roomy(client: DynamoDBClient): void {
  client.config.requestHandler = new NodeHttpHandler({ connectionTimeout: 60_000, requestTimeout: 60_000 });
}

/** Likewise the Lambda deadline: 50 accepts at once on a busy 2-CPU machine may take longer than 10 s. */
const RACE_DEADLINE_MS = 120_000;

const PRICE_CHANGED = "the quotation's price changed while accepting: review the new price and accept again";

/** Another Lambda container on the same table: its own SDK client, id blocks and settings cache. */
function container(shop: Shop, now?: () => number, random?: () => number) {
  const handler = createAcceptHandler(testConfig(shop.table, { settingsTtlSeconds: 60 }), {
    configure: roomy,
    now,
    random,
  });
  return async (body: unknown, userId = 1000): Promise<Answer> => {
    const event = fixtureEvent("accept-interface-example");
    const token = await signToken(EVENT_SECRET, userId, (now?.() ?? Math.floor(Date.now() / 1000)) + 86_400);
    event.headers = { "content-type": "application/json", "accept-language": TEST_LANGUAGE, token };
    event.body = JSON.stringify(body);
    const deadline = Date.now() + RACE_DEADLINE_MS;
    const context = { awsRequestId: randomUUID(), getRemainingTimeInMillis: () => deadline - Date.now() };
    const result = (await handler(event, context as never)) as APIGatewayProxyStructuredResultV2;
    return { status: result.statusCode ?? 0, ...JSON.parse(String(result.body)), headers: {} };
  };
}

/** Groups the answers by what they said, with the order they carried. */
function outcomes(answers: Answer[]) {
  const tally = new Map<string, number>();
  for (const { status, code, msg, data } of answers) {
    const key = `${status} ${code} ${code === 0 ? `order ${String(data.order_id)}` : msg}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(tally);
}

test("50 identical accepts at once from one container: one order, all 50 answered with it", async () => {
  const faults = faultInjector();
  const configure = (client: DynamoDBClient) => {
    roomy(client);
    faults.configure(client);
  };
  const shop = await openShop(undefined, { configure, remainingMs: RACE_DEADLINE_MS });
  const answers = await Promise.all(Array.from({ length: 50 }, () => shop.accept({ comm_order_id: 7 })));

  const [order] = await shop.ofEntity("Order");
  assert.deepEqual(outcomes(answers), { [`200 0 order ${String(order?.order_id)}`]: 50 });
  for (const answer of answers) assert.deepEqual(answer.data, answers[0]?.data);
  assert.equal(answers[0]?.data.amount, 9900);
  assert.equal(answers[0]?.data.seller_amount, 7920);
  // Exactly one transaction committed; every other one that went out was cancelled by its conditions.
  // Counted per call, by its last attempt: an attempt the SDK retried is not a verdict.
  const verdicts = faults
    .calls()
    .filter(([first]) => first?.command === "TransactWriteItems")
    .map((attempts) => attempts.at(-1)?.outcome);
  assert.equal(verdicts.filter((outcome) => outcome === "ok").length, 1, `outcomes: ${verdicts.join(", ")}`);
  assert.deepEqual(
    verdicts.filter((outcome) => outcome !== "ok" && outcome !== "TransactionCanceledException"),
    [],
  );
  assert.equal((await shop.counts()).Order, 1);
  await assertInvariants(shop);
});

test("50 accepts of the interface example (no comm_order_id) at once: one order, never a 5xx", async () => {
  const shop = await openShop(undefined, { configure: roomy, remainingMs: RACE_DEADLINE_MS });
  const body = { goods_id: 188, quantity: 1, type: "goods", remark: "定制商品订单" };
  const answers = await Promise.all(Array.from({ length: 50 }, () => shop.accept(body)));

  const [order] = await shop.ofEntity("Order");
  const tally = outcomes(answers);
  const won = tally[`200 0 order ${String(order?.order_id)}`] ?? 0;
  // Who read the quotation still quoted gets the order; who read it accepted finds no quotation
  // awaiting them for the product (rule 4 looks up status 2 only): a clean -1, never a 5xx.
  assert.ok(won >= 1);
  assert.deepEqual(tally, {
    [`200 0 order ${String(order?.order_id)}`]: won,
    ...(won < 50 ? { "200 -1 no quotation awaits you for goods_id 188": 50 - won } : {}),
  });
  assert.equal((await shop.counts()).Order, 1);
  await assertInvariants(shop);
});

test("50 identical accepts over 5 containers, arriving over 250 ms: one order, every caller gets it", async () => {
  const shop = await openShop(undefined, { configure: roomy, remainingMs: RACE_DEADLINE_MS });
  const containers = Array.from({ length: 5 }, () => container(shop));
  // Staggered, so that early callers race the transaction and late ones find the quotation accepted.
  const answers = await Promise.all(
    Array.from({ length: 50 }, async (_, index) => {
      await sleep(index * 5);
      return containers[index % 5]?.({ comm_order_id: 8 }, 1001);
    }),
  );
  const [order] = await shop.ofEntity("Order");
  assert.deepEqual(outcomes(answers as Answer[]), { [`200 0 order ${String(order?.order_id)}`]: 50 });
  assert.equal(order?.amount, 45050);
  assert.equal((await shop.counts()).Order, 1);
  await assertInvariants(shop);
});

test("two containers' orders clash on number in the same second: the second takes a new suffix and number", async () => {
  const now = () => 1_669_212_548; // 2022-11-23 22:09:08 in Asia/Shanghai
  const shop = await openShop(undefined, { now, random: suffixes(1) });
  const first = await shop.accept({ comm_order_id: 7 });
  assert.deepEqual(
    [first.code, first.data.id, first.data.order_id],
    [0, 16_692_413_480_001, "202211232209080001"],
  );
  // Another container draws the same suffix in the same second, then another one.
  const second = await container(shop, now, suffixes(1, 2))({ comm_order_id: 8 }, 1001);
  assert.deepEqual(
    [second.code, second.data.id, second.data.order_id],
    [0, 16_692_413_480_002, "202211232209080002"],
  );
  assert.equal((await shop.counts()).Order, 2);
  await assertInvariants(shop);
});

test("two different requests racing for one quotation: one wins whole, the other is refused", async () => {
  const shop = await openShop(undefined, { configure: roomy, remainingMs: RACE_DEADLINE_MS });
  const bodies = [
    { comm_order_id: 7, quantity: 1 },
    { comm_order_id: 7, quantity: 2 },
  ];
  const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => shop.accept(bodies[index % 2])));

  const [order] = await shop.ofEntity("Order");
  const [detail] = await shop.ofEntity("OrderDetail");
  const quantity = Number(detail?.quantity);
  assert.ok(quantity === 1 || quantity === 2);
  assert.equal(order?.amount, 9900 * quantity);
  for (const [index, answer] of answers.entries()) {
    if (bodies[index % 2]?.quantity === quantity) {
      assert.deepEqual([answer.status, answer.code, answer.data.order_id], [200, 0, order?.order_id]);
    } else {
      assert.deepEqual(
        [answer.status, answer.code, answer.msg],
        [200, -1, "quotation has already been accepted with a different request"],
      );
    }
  }
  assert.equal((await shop.counts()).Order, 1);
  await assertInvariants(shop);
});

/**
 * The merchant acts while the accept is in flight: `when` picks the attempt (the quotation's read, or
 * the transaction about to go out) and `act` changes the quotation through its own client first.
 */
async function merchantActsMidway(
  when: "after the quotation read" | "before the transaction",
  act: (table: string) => Promise<unknown>,
) {
  const faults = faultInjector();
  const shop = await openShop(undefined, { configure: faults.configure });
  const before = await shop.snapshot();
  let acted = false;
  faults.set(async (attempt, send) => {
    if (acted) return send();
    if (
      when === "after the quotation read" &&
      attempt.command === "GetItem" &&
      attempt.body.includes('"COMM#7"')
    ) {
      const result = await send();
      acted = true;
      await act(shop.table);
      return result;
    }
    if (when === "before the transaction" && attempt.command === "TransactWriteItems") {
      acted = true;
      await act(shop.table);
    }
    return send();
  });
  const answer = await shop.accept({ comm_order_id: 7 });
  assert.ok(acted, "the merchant acted mid-way");
  return { shop, faults, answer, before };
}

for (const when of ["after the quotation read", "before the transaction"] as const) {
  test(`a merchant re-quoting ${when}: no order at the stale price, the exact -1, then the new price`, async () => {
    const { shop, faults, answer, before } = await merchantActsMidway(when, (table) =>
      merchant(table).requote(1000, 7, "120.00"),
    );
    assert.deepEqual(
      [answer.status, answer.code, answer.msg, answer.data],
      [200, -1, PRICE_CHANGED, undefined],
    );
    assert.equal(faults.of("TransactWriteItems").length, 1);
    const quotation = (await shop.snapshot()).find((item) => item.sk === "COMM#7");
    assert.deepEqual([quotation?.status, quotation?.quote_price, quotation?.order_id], [2, "120.00", ""]);
    const changed = before.map((item) => (item.sk === "COMM#7" ? quotation : item));
    assert.deepEqual(await shop.snapshot(), changed, "nothing but the merchant's change was written");
    await assertInvariants(shop);

    faults.clear();
    const again = await shop.accept({ comm_order_id: 7 });
    assert.deepEqual([again.code, again.data.amount, again.data.seller_amount], [0, 12000, 9600]);
    await assertInvariants(shop);
  });
}

test("a merchant cancelling before the transaction: no order, the exact -1", async () => {
  const { shop, answer, before } = await merchantActsMidway("before the transaction", (table) =>
    merchant(table).cancel(1000, 7),
  );
  assert.deepEqual([answer.status, answer.code, answer.msg], [200, -1, "quotation is no longer open"]);
  const after = await shop.snapshot();
  assert.deepEqual(
    after.filter((item) => item.sk !== "COMM#7"),
    before.filter((item) => item.sk !== "COMM#7"),
  );
  assert.equal(after.find((item) => item.sk === "COMM#7")?.status, -1);
  await assertInvariants(shop);
});
