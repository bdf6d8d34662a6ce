// Rules 1 and 8 (docs/accept.md) when the platform misbehaves: throttling, lost responses, an unavailable or slow
// DynamoDB. Faults come from SDK middleware (tests/support/faults.ts) in front of the real DynamoDB Local.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import {
  DynamoDBClient,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from "@aws-sdk/client-dynamodb";
import {
  type Attempt,
  connectionRefused,
  connectionReset,
  type FaultInjector,
  faultInjector,
  internalError,
  throttled,
  throttling,
} from "./support/faults.ts";
import { aliceHome } from "./support/fixtures.ts";
import { assertInvariants } from "./support/invariants.ts";
import { type Answer, openShop, RETRY_LATER, type Shop, type ShopOptions } from "./support/shop.ts";

const ACCEPT = { comm_order_id: 7 };

async function faultyShop(options: ShopOptions = {}) {
  const faults = faultInjector();
  const shop = await openShop(undefined, { ...options, configure: faults.configure });
  return { shop, faults, before: await shop.snapshot() };
}

const token = (attempt: Attempt) => /"ClientRequestToken":"([^"]+)"/.exec(attempt.body)?.[1];
const summary = (attempts: Attempt[]) => attempts.map((a) => `${a.attempt}:${a.outcome}`);
/** The summary of a call that failed with `outcome` on each of the SDK's 3 attempts. */
const failedEveryAttempt = (outcome: string) => [1, 2, 3].map((attempt) => `${attempt}:${outcome}`);
const isTransaction = (attempt: Attempt) => attempt.command === "TransactWriteItems";
const readsQuotation = (attempt: Attempt) =>
  attempt.command === "GetItem" && attempt.body.includes('"COMM#7"');

function assertRetryLater(answer: Answer) {
  assert.deepEqual(
    { status: answer.status, code: answer.code, msg: answer.msg, data: answer.data },
    { status: 503, code: -1, msg: RETRY_LATER, data: undefined },
  );
}

/**
 * The one order of quotation 7, as stored, must be exactly what the caller was told; and, faults
 * cleared, the customer's identical retry replays that very order.
 */
async function assertAnsweredWithTheOneOrder(
  shop: Shop,
  faults: FaultInjector,
  answer: Answer,
  body: object = ACCEPT,
) {
  assert.equal(answer.status, 200);
  assert.equal(answer.code, 0, answer.msg);
  const orders = await shop.ofEntity("Order");
  assert.equal(orders.length, 1);
  assert.equal(answer.data.order_id, orders[0]?.order_id);
  assert.equal(answer.data.id, orders[0]?.id);
  assert.deepEqual([answer.data.amount, answer.data.seller_amount], [9900, 7920]);
  await assertInvariants(shop);
  faults.clear();
  const again = await shop.accept(body);
  assert.deepEqual([again.status, again.code, again.data?.order_id], [200, 0, orders[0]?.order_id]);
}

/** The first `n` attempts of every call the rule matches fail with `error()`; the rest go through. */
function failFirst(
  faults: FaultInjector,
  n: number,
  error: (a: Attempt) => Error,
  which = (_: Attempt) => true,
) {
  faults.set(async (attempt, send) => {
    if (which(attempt) && attempt.attempt <= n) throw error(attempt);
    return send();
  });
}

test("throttling on the first attempt of every read and the transaction is retried", async () => {
  const { shop, faults } = await faultyShop();
  failFirst(faults, 1, (attempt) => (isTransaction(attempt) ? throttling() : throttled()));
  // A new address: its id is the order's, so no counter is updated (docs/data-model.md, "Ids").
  const body = { ...ACCEPT, address: aliceHome };
  const answer = await shop.accept(body);

  const calls = faults.calls();
  assert.deepEqual(
    new Set(calls.map(([first]) => first?.command)),
    new Set(["GetItem", "TransactWriteItems"]),
  );
  for (const call of calls) {
    const throttle =
      call[0]?.command === "TransactWriteItems"
        ? "ThrottlingException"
        : "ProvisionedThroughputExceededException";
    assert.deepEqual(summary(call), [`1:${throttle}`, "2:ok"], `${call[0]?.command} retried once`);
  }
  await assertAnsweredWithTheOneOrder(shop, faults, answer, body);
});

test("throttled past the SDK's retries on the transaction: 503 to retry later, nothing written", async () => {
  const { shop, faults, before } = await faultyShop();
  failFirst(faults, 3, throttling, isTransaction);
  assertRetryLater(await shop.accept(ACCEPT));
  assert.deepEqual(summary(faults.of("TransactWriteItems")), failedEveryAttempt("ThrottlingException"));
  assert.deepEqual(await shop.snapshot(), before);
  await assertInvariants(shop);
});

for (const [lost, error] of [
  ["ECONNRESET", connectionReset],
  ["TimeoutError", () => Object.assign(new Error("socket timed out"), { name: "TimeoutError" })],
] as const) {
  test(`a committed transaction whose response is lost (${lost}): the SDK's retry replays its token`, async () => {
    const { shop, faults } = await faultyShop();
    faults.set(async (attempt, send) => {
      const result = await send();
      if (isTransaction(attempt) && attempt.attempt === 1) throw error();
      return result;
    });
    const answer = await shop.accept(ACCEPT);

    const writes = faults.of("TransactWriteItems");
    // Attempt 2 succeeds although the order already exists and the quotation is no longer quoted:
    // DynamoDB recognised the ClientRequestToken and did not run the conditions again.
    assert.deepEqual(summary(writes), [`1:${lost}`, "2:ok"]);
    assert.ok(token(writes[0] as Attempt));
    assert.equal(token(writes[0] as Attempt), token(writes[1] as Attempt));
    assert.equal(faults.attempts.filter(readsQuotation).length, 1, "no reconciliation read was needed");
    await assertAnsweredWithTheOneOrder(shop, faults, answer);
  });
}

test("what the token buys: the same transaction replayed with its token succeeds, with a new one it is cancelled", async () => {
  const { shop, faults } = await faultyShop();
  const answer = await shop.accept(ACCEPT);
  assert.equal(answer.code, 0, answer.msg);
  const [write] = faults.of("TransactWriteItems") as [Attempt];
  const raw = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const resend = (ClientRequestToken: string) =>
    raw.send(
      new TransactWriteItemsCommand({
        ...(write.input as unknown as TransactWriteItemsCommandInput),
        ClientRequestToken,
      }),
    );

  await resend(token(write) as string); // within 10 minutes: accepted, nothing written again
  const error = await resend(randomUUID()).catch((caught: unknown) => caught);
  assert.ok(error instanceof TransactionCanceledException);
  assert.deepEqual(
    error.CancellationReasons?.map((reason) => reason.Code).filter((code) => code !== "None"),
    ["ConditionalCheckFailed", "ConditionalCheckFailed"], // the order exists; the quotation is accepted
  );
  await assertAnsweredWithTheOneOrder(shop, faults, answer);
});

test("a committed transaction whose response is lost on every SDK attempt: reconciled, not a false error", async () => {
  const { shop, faults } = await faultyShop();
  faults.set(async (attempt, send) => {
    const result = await send();
    if (isTransaction(attempt)) throw connectionReset();
    return result;
  });
  const answer = await shop.accept(ACCEPT);
  assert.deepEqual(summary(faults.of("TransactWriteItems")), failedEveryAttempt("ECONNRESET"));
  assert.equal(faults.attempts.filter(readsQuotation).length, 2, "the quotation was re-read to reconcile");
  await assertAnsweredWithTheOneOrder(shop, faults, answer);
});

test("a committed transaction, its response lost and DynamoDB gone: 503, and the retry gets the order", async () => {
  const { shop, faults } = await faultyShop();
  let committed = false;
  faults.set(async (attempt, send) => {
    if (committed) throw connectionRefused();
    const result = await send();
    committed = isTransaction(attempt);
    if (committed) throw connectionReset();
    return result;
  });
  assertRetryLater(await shop.accept(ACCEPT));
  assert.equal((await shop.counts()).Order, 1, "the order was written, only the answer was lost");
  await assertInvariants(shop);

  faults.clear();
  const retry = await shop.accept(ACCEPT);
  assert.equal(faults.of("TransactWriteItems").length, 3, "the retry replays: no new transaction");
  await assertAnsweredWithTheOneOrder(shop, faults, retry);
});

for (const [what, error] of [
  ["HTTP 500 InternalServerError", internalError],
  ["ECONNREFUSED", connectionRefused],
] as const) {
  test(`DynamoDB unavailable past the SDK's retries (${what}): 503, nothing written`, async () => {
    const { shop, faults, before } = await faultyShop();
    faults.set(async () => {
      throw error();
    });
    const answer = await shop.accept(ACCEPT);
    assertRetryLater(answer);
    assert.deepEqual(answer.headers["content-type"], "application/json; charset=utf-8");
    // Every call the handler made was tried exactly as often as the SDK allows (3), and no more.
    await faults.settled();
    const calls = faults.calls();
    assert.ok(calls.length >= 3);
    for (const call of calls)
      assert.deepEqual(
        call.map((attempt) => attempt.attempt),
        [1, 2, 3],
      );
    assert.equal(faults.of("TransactWriteItems").length, 0);
    assert.deepEqual(await shop.snapshot(), before);
  });
}

test("a write that never reaches DynamoDB (refused on every attempt): 503, nothing written", async () => {
  const { shop, faults, before } = await faultyShop();
  failFirst(faults, 3, connectionRefused, isTransaction);
  assertRetryLater(await shop.accept(ACCEPT));
  assert.deepEqual(summary(faults.of("TransactWriteItems")), failedEveryAttempt("ECONNREFUSED"));
  assert.equal(faults.attempts.filter(readsQuotation).length, 2, "the quotation was re-read to reconcile");
  assert.deepEqual(await shop.snapshot(), before);
  await assertInvariants(shop);
});
