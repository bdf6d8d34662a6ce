// Rules 8 and 11 (docs/accept.md): DynamoDB cancels a transaction with TransactionConflict when another one holds an
// item. DynamoDB Local never does, so it is injected (SDK middleware) where the real service would raise
// it; the SDK does not retry it (a cancellation), so the handler's own bounded, jittered retry must.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Attempt, faultInjector, transactionConflict } from "./support/faults.ts";
import { assertInvariants } from "./support/invariants.ts";
import { openShop, RETRY_LATER } from "./support/shop.ts";
import { timerDelays } from "./support/timers.ts";

const ACCEPT = { comm_order_id: 7 };
const CANCELLED = "1:TransactionCanceledException";

/** Transactions conflict while `conflicting(nth)` says so (nth counts transactions sent, from 1). */
async function conflictingShop(
  conflicting: (nth: number, attempt: Attempt) => boolean | Promise<boolean>,
  code = "TransactionConflict",
) {
  const faults = faultInjector();
  const shop = await openShop(undefined, { configure: faults.configure });
  let sent = 0;
  faults.set(async (attempt, send) => {
    if (attempt.command !== "TransactWriteItems") return send();
    sent += 1;
    if (await conflicting(sent, attempt)) throw transactionConflict(attempt, code);
    return send();
  });
  const writes = () => faults.of("TransactWriteItems");
  const summary = () => writes().map((write) => `${write.attempt}:${write.outcome}`);
  const tokens = () =>
    new Set(writes().map((write) => /"ClientRequestToken":"([^"]+)"/.exec(write.body)?.[1]));
  return { shop, faults, summary, tokens, before: await shop.snapshot() };
}

/**
 * 25 ms, factor 2, randomised ×1–2, capped at 250 ms (lib/accept/commit.ts, backoff):
 * the waits it scheduled (timerDelays), exactly, whatever a busy machine then made of them.
 */
function assertBackoff(delays: number[], retries: number) {
  assert.equal(delays.length, retries, `${retries} waits: ${delays.join(", ")}`);
  delays.forEach((delay, index) => {
    const base = 25 * 2 ** index;
    assert.ok(delay >= base && delay <= Math.min(2 * base, 250), `retry ${index + 1} waits ${delay} ms`);
  });
}

test("TransactionConflict on the first two transactions: retried after a backoff, the third commits", async (t) => {
  const { shop, summary, tokens } = await conflictingShop((nth) => nth <= 2);
  const delays = timerDelays(t, "lib/accept/commit.ts");
  const answer = await shop.accept(ACCEPT);

  assert.deepEqual([answer.status, answer.code, answer.data.amount], [200, 0, 9900]);
  // Each try is a new send(): the SDK never retries a cancellation, and each gets a new token.
  assert.deepEqual(summary(), [CANCELLED, CANCELLED, "1:ok"]);
  assert.equal(tokens().size, 3);
  assertBackoff(delays, 2);
  const orders = await shop.ofEntity("Order");
  assert.deepEqual(
    orders.map((order) => order.order_id),
    [answer.data.order_id],
  );
  await assertInvariants(shop);
});

test("an item throttled inside the transaction (ThrottlingError reason) is retried like a conflict", async () => {
  const { shop, summary, tokens } = await conflictingShop((nth) => nth === 1, "ThrottlingError");
  const answer = await shop.accept(ACCEPT);

  assert.deepEqual([answer.status, answer.code, answer.data.amount], [200, 0, 9900]);
  assert.deepEqual(summary(), [CANCELLED, "1:ok"]);
  assert.equal(tokens().size, 2);
  assert.equal((await shop.ofEntity("Order")).length, 1);
  await assertInvariants(shop);
});

test("TransactionConflict on every transaction: four tries, then 503, nothing written", async (t) => {
  const { shop, faults, summary, before } = await conflictingShop(() => true);
  const delays = timerDelays(t, "lib/accept/commit.ts");
  const answer = await shop.accept(ACCEPT);

  assert.deepEqual(
    { status: answer.status, code: answer.code, msg: answer.msg, data: answer.data },
    { status: 503, code: -1, msg: RETRY_LATER, data: undefined },
  );
  assert.deepEqual(summary(), [CANCELLED, CANCELLED, CANCELLED, CANCELLED]);
  assertBackoff(delays, 3);
  await faults.settled();
  assert.deepEqual(await shop.snapshot(), before);
  await assertInvariants(shop);
});

for (const twin of [ACCEPT, { comm_order_id: 7, quantity: 2 }]) {
  const same = twin === ACCEPT;
  test(`a conflict, then ${same ? "an identical" : "a different"} accept commits first: ${same ? "the retry replays its order" : "the retry is refused"}`, async () => {
    let twinAnswer: Awaited<ReturnType<typeof shop.accept>> | undefined;
    const { shop, summary } = await conflictingShop(async (nth) => {
      if (nth !== 1) return false;
      twinAnswer = await shop.accept(twin); // the transaction we conflicted with
      return true;
    });
    const answer = await shop.accept(ACCEPT);

    // Ours conflicted on the quotation while the twin's committed: after its backoff ours reads the
    // quotation, finds it accepted, and answers from it without sending the transaction again.
    assert.deepEqual(summary(), [CANCELLED, "1:ok"]);
    assert.equal(twinAnswer?.code, 0, twinAnswer?.msg);
    const orders = await shop.ofEntity("Order");
    assert.deepEqual(
      orders.map((order) => [order.order_id, order.amount]),
      [[twinAnswer?.data.order_id, same ? 9900 : 19800]],
    );
    if (same) {
      assert.deepEqual([answer.status, answer.code], [200, 0]);
      assert.deepEqual(answer.data, twinAnswer?.data);
    } else {
      assert.deepEqual(
        [answer.status, answer.code, answer.msg],
        [200, -1, "quotation has already been accepted with a different request"],
      );
    }
    await assertInvariants(shop);
  });
}
