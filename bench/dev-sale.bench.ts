// npm run bench (third part): a flash sale through `npm run dev`, as customers see it. 240 customers race
// for 150 units of one campaign coupon, 24 at a time, and each client retries a 5xx (or a connection
// that failed) with the identical request, as a shop's app would. Then the table is read back: the sale
// must be exact. A proxy in front of DynamoDB Local counts every request the server sends, by operation.
// Size: BENCH_DEV_SALE=240/150/24 (customers/units/clients at once). Only 127.0.0.1 is contacted.
import "../tests/support/quiet-powertools.ts";

import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDocumentClient } from "../lib/store/client.ts";
import { startDynamoDbLocal } from "../scripts/dynamodb-local.ts";
import { burstWorld, COUPON_ID } from "../tests/support/flash-sale.ts";
import { scanTable } from "../tests/support/shop.ts";
import type { Outcome } from "./bursts/figures.ts";
import { post, startDev } from "./bursts/offline.ts";
import { countingProxy } from "./dev-sale/counting-proxy.ts";

const [customers = 240, units = 150, clients = 24] = (process.env.BENCH_DEV_SALE ?? "240/150/24")
  .split("/")
  .map(Number);
const SOLD_OUT = "coupon is sold out";
/** A client gives up after this many tries of one request (a 5xx each). */
const TRIES = 10;

const local = await startDynamoDbLocal();
const proxy = await countingProxy(local.endpoint);
const world = burstWorld({ customers, units });
const table = `dev-sale-${randomUUID()}`;
const dev = await startDev(proxy.endpoint, table, world.fixture);
const loading = new Map(proxy.counts); // the fixture's load: not the sale's
const answers: { userId: number; outcome: Outcome; tries: number }[] = [];
try {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < world.requests.length) {
        const request = world.requests[next++] as (typeof world.requests)[number];
        for (let tries = 1; ; tries++) {
          const outcome = await post(dev.url, request.userId, request.body);
          const retry = outcome.status === 0 || outcome.status >= 500 || Number.isNaN(outcome.code);
          if (retry && tries < TRIES) {
            await sleep(100 * tries);
            continue;
          }
          answers.push({ userId: request.userId, outcome, tries });
          break;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await sleep(6_000); // a request cut off at its timeout may still be writing

  const items = await scanTable(createDocumentClient({ endpoint: local.endpoint }), table);
  const of = (entity: string) => items.filter((item) => item.entity === entity);
  const orders = of("Order").filter((order) => order.coupon_id === COUPON_ID);
  const unitNumbers = of("CouponUnit").map((unit) => Number(unit.unit));
  const coupon = of("Coupon").find((item) => item.id === COUPON_ID);
  const sold = answers.filter((answer) => answer.outcome.code === 0);
  const refused = answers.filter((answer) => answer.outcome.code === -1 && answer.outcome.msg === SOLD_OUT);
  const refusedUsers = new Set(refused.map((answer) => answer.userId));
  const checks: [string, boolean][] = [
    [`${units} orders carry the coupon (${orders.length})`, orders.length === units],
    [`${units} answers code 0 (${sold.length})`, sold.length === units],
    [
      `${customers - units} clean sold-out refusals (${refused.length})`,
      refused.length === customers - units,
    ],
    [
      "no unit sold twice, units 1 … units",
      new Set(unitNumbers).size === unitNumbers.length && unitNumbers.every((n) => n >= 1 && n <= units),
    ],
    [
      "the use count (used + units) is the orders carrying the coupon",
      Number(coupon?.used ?? 0) + unitNumbers.length === orders.length,
    ],
    ["no refused customer holds an order", orders.every((order) => !refusedUsers.has(Number(order.user_id)))],
    [
      "every code 0 names its order",
      sold.every((answer) => orders.some((order) => order.order_id === answer.outcome.orderNumber)),
    ],
  ];
  const sale = (operation: string) => (proxy.counts.get(operation) ?? 0) - (loading.get(operation) ?? 0);
  const retried = answers.filter((answer) => answer.tries > 1);
  console.log(
    `dev sale through npm run dev: ${customers} customers, ${units} units, ${clients} at a time, ${seconds.toFixed(1)} s`,
  );
  console.log(
    `  answers: ${sold.length} code 0, ${refused.length} sold out, ${answers.length - sold.length - refused.length} other; ` +
      `${retried.length} customers retried a 5xx (${retried.reduce((n, a) => n + a.tries - 1, 0)} retries)`,
  );
  const operations = [
    ...new Set([...proxy.counts.keys()].map((name) => name.split(":")[0] as string)),
  ].sort();
  console.log(
    `  DynamoDB requests the server sent: ${operations
      .map((op) => `${op} ${sale(op)}${sale(`${op}:failed`) ? ` (${sale(`${op}:failed`)} failed)` : ""}`)
      .join(", ")}`,
  );
  const holds = of("CouponHold");
  const issued = Number(of("CouponTickets")[0]?.issued ?? 0);
  console.log(
    `  tickets taken ${issued}: ${unitNumbers.length} sold, ${holds.filter((h) => h.until === 0).length} given back and unsold, ` +
      `${holds.filter((h) => Number(h.until) > 0).length} still held, ${issued - unitNumbers.length - holds.length} never held`,
  );
  for (const [name, ok] of checks) console.log(`  ${ok ? "ok  " : "FAIL"} ${name}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
} finally {
  await dev.stop();
  await proxy.close();
  await local.stop();
}
