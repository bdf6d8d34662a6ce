// Spec §1 and §11: a slow DynamoDB must not run the handler into the Lambda's own deadline. The handler
// answers 503 itself 500 ms before it, aborts what is in flight, and never leaves a half-written order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Attempt, faultInjector } from "./support/faults.ts";
import { assertInvariants } from "./support/invariants.ts";
import { openShop, RETRY_LATER } from "./support/shop.ts";

const ACCEPT = { comm_order_id: 7 };
/** The Lambda time left when the request arrives; the handler must answer 500 ms before it runs out. */
const REMAINING_MS = 2000;

/**
 * The calls `which` picks are slow: held (before they go out, or after DynamoDB answered) until the
 * handler has answered on its own, then released, as a slow network would eventually do.
 */
async function slowShop(slow: "before" | "after", which: (attempt: Attempt) => boolean) {
  const faults = faultInjector();
  const shop = await openShop(undefined, { configure: faults.configure, remainingMs: REMAINING_MS });
  const before = await shop.snapshot();
  let answered = () => {};
  const released = new Promise<void>((resolve) => {
    answered = resolve;
  });
  faults.set(async (attempt, send) => {
    if (!which(attempt)) return send();
    if (slow === "before") await released;
    const result = await send();
    if (slow === "after") await released;
    return result;
  });
  const started = performance.now();
  const answer = await shop.accept(ACCEPT);
  const took = performance.now() - started;
  answered();

  assert.deepEqual(
    { status: answer.status, code: answer.code, msg: answer.msg, data: answer.data },
    { status: 503, code: -1, msg: RETRY_LATER, data: undefined },
  );
  // 500 ms before the deadline, give or take a busy machine's timer lag: never at the deadline.
  assert.ok(
    took >= REMAINING_MS - 500 - 20 && took < REMAINING_MS - 100,
    `answered after ${took.toFixed(0)} ms`,
  );
  await faults.settled(); // what the handler left in flight has run its course
  return { shop, faults, before };
}

const isTransaction = (attempt: Attempt) => attempt.command === "TransactWriteItems";

test("slow reads: 503 before the deadline, the transaction never sent, nothing written", async () => {
  const { shop, faults, before } = await slowShop("before", (attempt) => attempt.command === "GetItem");
  assert.equal(faults.of("TransactWriteItems").length, 0);
  // The request's reads were aborted, not retried past the deadline. (The settings read belongs to the
  // container's cache, not to one request: it is left to finish.)
  const reads = faults.of("GetItem");
  assert.ok(reads.every((attempt) => attempt.attempt === 1));
  const outcome = (sk: string) => reads.find((attempt) => attempt.body.includes(`"${sk}"`))?.outcome;
  assert.deepEqual(
    [outcome("USER"), outcome("COMM#7"), outcome("SETTINGS")],
    ["AbortError", "AbortError", "ok"],
  );
  assert.deepEqual(await shop.snapshot(), before);
  await assertInvariants(shop);
});

test("a slow transaction: 503 before the deadline, the transaction aborted unsent, nothing written", async () => {
  const { shop, faults, before } = await slowShop("before", isTransaction);
  assert.deepEqual(
    faults.of("TransactWriteItems").map((attempt) => `${attempt.attempt}:${attempt.outcome}`),
    ["1:AbortError"],
  );
  assert.deepEqual(await shop.snapshot(), before);
  await assertInvariants(shop);

  faults.clear();
  const retry = await shop.accept(ACCEPT);
  assert.deepEqual([retry.status, retry.code, retry.data.amount], [200, 0, 9900]);
  await assertInvariants(shop);
});

test("a commit whose answer is slow: 503 before the deadline, the order whole, the retry gets it", async () => {
  const { shop, faults } = await slowShop("after", isTransaction);
  const orders = await shop.ofEntity("Order");
  assert.equal(orders.length, 1, "the transaction committed: all of it");
  await assertInvariants(shop);

  faults.clear();
  const retry = await shop.accept(ACCEPT);
  assert.deepEqual([retry.status, retry.code], [200, 0]);
  assert.deepEqual([retry.data.id, retry.data.order_id], [orders[0]?.id, orders[0]?.order_id]);
  assert.equal(faults.of("TransactWriteItems").length, 1, "the retry replayed: no second transaction");
});

test("a DynamoDB that accepts connections and never answers: each attempt times out, the call ends in time", {
  timeout: 10_000,
}, async (t) => {
  // without the request timeout, the call would wait forever
  const { createServer } = await import("node:net");
  const { GetCommand } = await import("@aws-sdk/lib-dynamodb");
  const { AWS_TIMEOUTS, createDocumentClient } = await import("../lib/store/client.ts");
  let connections = 0;
  const silent = createServer((socket) => {
    connections += 1;
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  t.after(() => silent.close());
  const { port } = silent.address() as { port: number };
  const doc = createDocumentClient({ endpoint: `http://127.0.0.1:${port}`, timeouts: AWS_TIMEOUTS });
  t.after(() => doc.destroy());

  const started = Date.now();
  await assert.rejects(
    doc.send(new GetCommand({ TableName: "t", Key: { pk: "a", sk: "b" } })),
    (error: Error) => error.name === "TimeoutError",
  );
  const took = Date.now() - started;
  // 3 attempts × 1 s request timeout + the SDK's backoff: well before the handler's own 503 at 5.5 s.
  assert.equal(connections, 3, "every attempt was tried on its own connection");
  assert.ok(took >= 3_000 && took < 5_000, `the call took ${took} ms`);
});

test("a refusal waiting for the site's language still answers before the deadline", async () => {
  const faults = faultInjector();
  const remainingMs = 1000; // the answer is due 500 ms from now; the language wait alone is up to 1 s
  const shop = await openShop(undefined, { configure: faults.configure, remainingMs });
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  faults.set(async (_attempt, send) => {
    await held; // the Settings read (for the language) hangs
    return send();
  });
  const started = Date.now();
  const answer = await shop.accept({ goods_id: 188, quantity: 1.5 }, { acceptLanguage: null });
  const took = Date.now() - started;
  release();
  // No header and no Settings yet: the default language, answered by the time it was due.
  assert.deepEqual(
    [answer.status, answer.code, answer.msg, answer.headers["content-language"]],
    [200, -1, "quantity 须为 0 到 9999 之间的整数", "zh-CN"],
  );
  assert.ok(took < remainingMs - 300, `answered after ${took} ms of ${remainingMs}`);
});
