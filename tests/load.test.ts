// A load run through the whole middy chain on DynamoDB Local: LOAD_ACCEPTS accepts (default 500) of
// distinct quotations, LOAD_CONCURRENCY at a time (default 10, so that a busy 2-core machine running
// other test files still answers each well inside its deadline). Every one is an order; ids and order
// numbers are unique; commissions are exact; the invariants hold. Correctness only: throughput and
// latency are figures of `npm run bench` (the "load" scenario), never pass/fail here.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tally } from "./support/answers.ts";
import { runs } from "./support/generated.ts";
import { assertInvariants } from "./support/invariants.ts";
import { quotation } from "./support/rows.ts";
import { type Answer, demoFixture, openShop } from "./support/shop.ts";

const ACCEPTS = runs("LOAD_ACCEPTS", 500);
const CONCURRENCY = runs("LOAD_CONCURRENCY", 10);
const FIRST = 10_000;

test(`${ACCEPTS} accepts of distinct quotations, ${CONCURRENCY} at a time: ${ACCEPTS} orders, all consistent`, async () => {
  const fixture = demoFixture();
  fixture.comm_orders = Array.from({ length: ACCEPTS }, (_, i) =>
    quotation({ id: FIRST + i, user_id: 1001, archive_id: 205, quote_price: `${100 + (i % 50)}.50` }),
  );
  // The Lambda deadline is not what this test measures: a busy machine gets room (deadlines.test.ts
  // pins the 503 before the deadline).
  const shop = await openShop(fixture, { settingsTtlSeconds: 60, remainingMs: 120_000 });
  const answers: Answer[] = [];
  let next = 0;
  async function worker() {
    while (next < ACCEPTS) {
      const id = FIRST + next++;
      answers.push(await shop.accept({ comm_order_id: id, quantity: 2 }, { userId: 1001 }));
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  assert.deepEqual(tally(answers), { "200 code 0": ACCEPTS }, "every accept is an order");
  assert.equal(new Set(answers.map((answer) => answer.data.id)).size, ACCEPTS, "unique order ids");
  assert.equal(new Set(answers.map((answer) => answer.data.order_id)).size, ACCEPTS, "unique order numbers");
  // Bob's promoters (carol 15%, dave 5%) earn on every order, floored; the seller gets 80% of the rest.
  const wrong = answers.filter((answer) => {
    const [amount, share, parent, seller] = [
      "amount",
      "share_amount",
      "share_parent_amount",
      "seller_amount",
    ].map((field) => Number(answer.data[field])) as [number, number, number, number];
    return (
      share !== Math.floor((amount * 15) / 100) ||
      parent !== Math.floor((amount * 5) / 100) ||
      seller !== Math.floor(((amount - share - parent) * 80) / 100)
    );
  });
  assert.deepEqual(
    wrong.slice(0, 3).map((answer) => answer.data.order_id),
    [],
    `${wrong.length} orders with wrong commissions (first three shown)`,
  );
  const items = await assertInvariants(shop);
  assert.equal(items.filter((item) => item.entity === "Order").length, ACCEPTS);
  assert.equal(items.filter((item) => item.entity === "Commission").length, ACCEPTS * 3);
});
