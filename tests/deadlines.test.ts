// Rules 1 and 11 (docs/accept.md): a slow DynamoDB must not run the handler into the Lambda's own deadline. The handler
// answers 503 itself 500 ms before it, aborts what is in flight, and never leaves a half-written order.
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { type Attempt, faultInjector } from "./support/faults.ts";
import { assertInvariants } from "./support/invariants.ts";
import { openShop, RETRY_LATER } from "./support/shop.ts";
import { heldTimers, timerDelays } from "./support/timers.ts";

const ACCEPT = { comm_order_id: 7 };
/**
 * The Lambda time left when the request arrives (on the harness's clock, which stands still); the
 * handler must answer 500 ms before it runs out.
 */
const REMAINING_MS = 2000;

/**
 * The calls `which` picks are slow: held (before they go out, or after DynamoDB answered) until the
 * handler has answered on its own, then released, as a slow network would eventually do. The handler's
 * early-answer timer is held too (heldTimers), and fires once `ready` says the calls it must cut short are
 * held: however slow the machine, the deadline comes exactly where the test puts it.
 */
async function slowShop(
  t: TestContext,
  slow: "before" | "after",
  which: (attempt: Attempt) => boolean,
  ready: (held: Attempt[]) => boolean,
) {
  const faults = faultInjector();
  let remainingMs = REMAINING_MS;
  const shop = await openShop(undefined, { configure: faults.configure, remainingMs: () => remainingMs });
  const before = await shop.snapshot();
  let answered = () => {};
  const released = new Promise<void>((resolve) => {
    answered = resolve;
  });
  const held: Attempt[] = [];
  let allHeld = () => {};
  const heldEnough = new Promise<void>((resolve) => {
    allHeld = resolve;
  });
  const hold = (attempt: Attempt) => {
    held.push(attempt);
    if (ready(held)) allHeld();
  };
  faults.set(async (attempt, send) => {
    if (!which(attempt)) return send();
    if (slow === "before") {
      hold(attempt);
      await released;
    }
    const result = await send();
    if (slow === "after") {
      hold(attempt);
      await released;
    }
    return result;
  });
  const early = heldTimers(t, "@middy/core");
  const pending = shop.accept(ACCEPT);
  await Promise.all([heldEnough, early.scheduled()]);
  early.fire(); // the deadline, less the handler's margin, has come
  const answer = await pending;
  answered();

  assert.deepEqual(
    { status: answer.status, code: answer.code, msg: answer.msg, data: answer.data },
    { status: 503, code: -1, msg: RETRY_LATER, data: undefined },
  );
  // The answer was the handler's own, due 500 ms before the deadline: never at the deadline.
  assert.deepEqual(early.delays, [REMAINING_MS - 500], "the early answer's timer");
  await faults.settled(); // what the handler left in flight has run its course
  remainingMs = 900_000; // later requests (the retries) have all the time they need
  return { shop, faults, before };
}

const isTransaction = (attempt: Attempt) => attempt.command === "TransactWriteItems";

test("slow reads: 503 before the deadline, the transaction never sent, nothing written", async (t) => {
  const { shop, faults, before } = await slowShop(
    t,
    "before",
    (attempt) => attempt.command === "GetItem",
    (held) => ['"USER"', '"COMM#7"'].every((sk) => held.some((attempt) => attempt.body.includes(sk))),
  );
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

test("a slow transaction: 503 before the deadline, the transaction aborted unsent, nothing written", async (t) => {
  const { shop, faults, before } = await slowShop(t, "before", isTransaction, (held) => held.length > 0);
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

test("a commit whose answer is slow: 503 before the deadline, the order whole, the retry gets it", async (t) => {
  const { shop, faults } = await slowShop(t, "after", isTransaction, (held) => held.length > 0);
  const orders = await shop.ofEntity("Order");
  assert.equal(orders.length, 1, "the transaction committed: all of it");
  await assertInvariants(shop);

  faults.clear();
  const retry = await shop.accept(ACCEPT);
  assert.deepEqual([retry.status, retry.code], [200, 0]);
  assert.deepEqual([retry.data.id, retry.data.order_id], [orders[0]?.id, orders[0]?.order_id]);
  assert.equal(faults.of("TransactWriteItems").length, 1, "the retry replayed: no second transaction");
});

// The call ends (a hang guard, not a measurement: each attempt's 1 s request timeout is the socket's).
test("a DynamoDB that accepts connections and never answers: each attempt times out, the call ends", {
  timeout: 60_000,
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

  await assert.rejects(
    doc.send(new GetCommand({ TableName: "t", Key: { pk: "a", sk: "b" } })),
    (error: Error) => error.name === "TimeoutError",
  );
  // 3 attempts, each ended by its own request timeout (1 s deployed): so a call's worst case is 3 s plus
  // the SDK's backoff, before the handler's own 503 (5.5 s into a 6 s Lambda).
  assert.equal(connections, 3, "every attempt was tried on its own connection");
  assert.equal(AWS_TIMEOUTS.requestMs, 1_000);
});

test("a refusal waiting for the site's language still answers before the deadline", async (t) => {
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
  const waits = timerDelays(t, "lib/http/envelope.ts");
  const answer = await shop.accept({ goods_id: 188, quantity: 1.5 }, { acceptLanguage: null });
  release();
  // No header and no Settings yet: the default language, answered by the time it was due.
  assert.deepEqual(
    [answer.status, answer.code, answer.msg, answer.headers["content-language"]],
    [200, -1, "quantity 须为 0 到 9999 之间的整数", "zh-CN"],
  );
  // The wait for the language was cut to the answer's due time (500 ms left), not its usual 1 s.
  assert.deepEqual(waits, [remainingMs - 500]);
});
