// npm run bench: latency, DynamoDB calls, sequential round trips and memory of accepts against
// DynamoDB Local. Round trips are measured, not assumed: every SDK call is timed (and delayed by
// DELAY_MS, so that overlap is unmistakable), and the longest chain of calls each starting after the
// previous one ended is the number of sequential round trips.

import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynamoDbLocal } from "../scripts/dynamodb-local.ts";

const DELAY_MS = 100;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);

const local = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
if (local) process.env.DYNAMODB_ENDPOINT = local.endpoint;
const { openShop } = await import("../tests/support/shop.ts");
const { demoWith } = await import("../tests/support/fixtures.ts");

interface Call {
  command: string;
  start: number;
  end: number;
}

function counting(delayMs: number) {
  const calls: Call[] = [];
  const configure = (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const call = {
          command: String(context.commandName),
          start: performance.now(),
          end: Number.POSITIVE_INFINITY,
        };
        calls.push(call);
        if (delayMs > 0) await sleep(delayMs);
        try {
          return await next(args);
        } finally {
          call.end = performance.now();
        }
      },
      { step: "initialize", name: "benchCounter" },
    );
  return { calls, configure };
}

/** The longest chain of calls in which each starts after the one before it has ended. */
function chainLength(calls: Call[]): number {
  const depth = new Map<Call, number>();
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    const before = calls.filter((other) => other.end <= call.start).map((other) => depth.get(other) ?? 0);
    depth.set(call, 1 + Math.max(0, ...before));
  }
  return Math.max(0, ...depth.values());
}

/** Quotations 1000+i for alice (no promoter) and bob (promoter chain), all on goods 205. */
function fixture(count: number) {
  const quotations = Array.from({ length: count }, (_, i) => [
    { id: 1000 + i, user_id: 1000, archive_id: 205, title: `A${i}`, status: 2, quote_price: "99.00" },
    { id: 5000 + i, user_id: 1001, archive_id: 205, title: `B${i}`, status: 2, quote_price: "99.00" },
  ]).flat();
  return demoWith({ comm_orders: quotations });
}

async function roundTrips(userId: number, body: object, warm: boolean) {
  const probe = counting(DELAY_MS);
  const shop = await openShop(fixture(3), { configure: probe.configure, settingsTtlSeconds: 60 });
  if (warm) await shop.accept({ comm_order_id: userId === 1000 ? 1002 : 5002 }, { userId });
  probe.calls.length = 0;
  const answer = await shop.accept(body, { userId });
  if (answer.code !== 0) throw new Error(`accept failed: ${answer.msg}`);
  return { rounds: chainLength(probe.calls), calls: probe.calls.length };
}

const cases = [
  ["no promoter, comm_order_id only", 1000, { comm_order_id: 1000 }],
  ["no promoter, goods_id given", 1000, { comm_order_id: 1000, goods_id: 205 }],
  ["promoter chain (share + parent)", 1001, { comm_order_id: 5000 }],
] as const;

console.log(`Sequential DynamoDB round trips per accept (every call delayed ${DELAY_MS} ms):`);
for (const [name, userId, body] of cases) {
  for (const warm of [true, false]) {
    const { rounds, calls } = await roundTrips(userId, body, warm);
    console.log(`  ${name.padEnd(34)} ${warm ? "warm" : "cold"}: ${rounds} round trips, ${calls} calls`);
  }
}

// Latency without injected delay: a warm container accepting SAMPLES quotations one after another.
const shop = await openShop(fixture(SAMPLES), { settingsTtlSeconds: 60, idBlockSize: 50 });
await shop.accept({ comm_order_id: 1000 + SAMPLES - 1 }, { userId: 1000 }); // warm-up
const latencies: number[] = [];
const heapBefore = process.memoryUsage().heapUsed;
for (let i = 0; i < SAMPLES - 1; i++) {
  const started = performance.now();
  const answer = await shop.accept({ comm_order_id: 1000 + i }, { userId: 1000 });
  latencies.push(performance.now() - started);
  if (answer.code !== 0) throw new Error(`accept ${i} failed: ${answer.msg}`);
}
latencies.sort((a, b) => a - b);
const pick = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(1);
const memory = process.memoryUsage();
console.log(
  `\nWarm accepts against DynamoDB Local (${latencies.length} in sequence, includes the token check):`,
);
console.log(`  p50 ${pick(0.5)} ms, p95 ${pick(0.95)} ms, p99 ${pick(0.99)} ms, max ${pick(1)} ms`);
console.log(
  `  rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB ` +
    `(+${((memory.heapUsed - heapBefore) / 2 ** 20).toFixed(1)} MiB over the run)`,
);
console.log(`  orders written: ${(await shop.counts()).Order}`);

await local?.stop();
