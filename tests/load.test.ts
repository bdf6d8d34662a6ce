// A load run through the whole middy chain on DynamoDB Local: LOAD_ACCEPTS accepts (default 500) of
// distinct quotations, LOAD_CONCURRENCY at a time (default 50). Every one is an order; ids and order
// numbers are unique; the invariants hold. Throughput and p50/p99 latency are printed, not asserted
// (speed targets live in npm run bench; this machine is shared).
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { test } from "node:test";
import { quotation } from "./support/coupons.ts";
import { runs } from "./support/generated.ts";
import { assertInvariants } from "./support/invariants.ts";
import { type Answer, demoFixture, openShop } from "./support/shop.ts";

const ACCEPTS = runs("LOAD_ACCEPTS", 500);
const CONCURRENCY = runs("LOAD_CONCURRENCY", 50);
const FIRST = 10_000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

test(`${ACCEPTS} accepts of distinct quotations, ${CONCURRENCY} at a time: ${ACCEPTS} orders, all consistent`, async () => {
  const fixture = demoFixture();
  fixture.comm_orders = Array.from({ length: ACCEPTS }, (_, i) =>
    quotation({ id: FIRST + i, user_id: 1001, archive_id: 205, quote_price: `${100 + (i % 50)}.50` }),
  );
  const shop = await openShop(fixture, { settingsTtlSeconds: 60 });
  const answers: Answer[] = [];
  const latencies: number[] = [];
  let next = 0;
  async function worker() {
    while (next < ACCEPTS) {
      const id = FIRST + next++;
      const started = performance.now();
      const answer = await shop.accept({ comm_order_id: id, quantity: 2 }, { userId: 1001 });
      latencies.push(performance.now() - started);
      answers.push(answer);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;

  const failed = answers.filter((answer) => answer.status !== 200 || answer.code !== 0);
  assert.deepEqual(
    failed.map((answer) => [answer.status, answer.code, answer.msg]),
    [],
    "every accept is an order",
  );
  assert.equal(new Set(answers.map((answer) => answer.data.id)).size, ACCEPTS, "unique order ids");
  assert.equal(new Set(answers.map((answer) => answer.data.order_id)).size, ACCEPTS, "unique order numbers");
  // Bob's promoters (carol 15%, dave 5%) earn on every order, floored; the seller gets 80% of the rest.
  for (const answer of answers) {
    const [amount, share, parent, seller] = [
      "amount",
      "share_amount",
      "share_parent_amount",
      "seller_amount",
    ].map((field) => Number(answer.data[field])) as [number, number, number, number];
    assert.equal(share, Math.floor((amount * 15) / 100));
    assert.equal(parent, Math.floor((amount * 5) / 100));
    assert.equal(seller, Math.floor(((amount - share - parent) * 80) / 100));
  }
  const items = await assertInvariants(shop);
  assert.equal(items.filter((item) => item.entity === "Order").length, ACCEPTS);
  assert.equal(items.filter((item) => item.entity === "Commission").length, ACCEPTS * 3);

  latencies.sort((a, b) => a - b);
  console.log(
    `load: ${ACCEPTS} accepts, concurrency ${CONCURRENCY}: ${seconds.toFixed(1)} s, ` +
      `${(ACCEPTS / seconds).toFixed(1)} accepts/s, p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(0)} ms`,
  );
});
