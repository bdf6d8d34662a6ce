// The write loop (lib/accept/commit.ts), branch by branch, on the in-memory store. The same paths run end
// to end on DynamoDB Local in tests/conflicts, sdk-faults, races, coupon-races, flash-sale and order-write.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newTrace } from "../../lib/accept/trace.ts";
import { PlatformFault, Refusal } from "../../lib/errors.ts";
import { ALICE, memoryShop, NOW, suffixStarts, terms } from "../support/memory-accept.ts";

const refusal = (key: string) => (error: unknown) => error instanceof Refusal && error.key === key;
const platformFault = (error: unknown) => error instanceof PlatformFault;

test("commit: one try writes the order at the quote and accepts the quotation", async () => {
  const { store, accept } = memoryShop();
  const order = await accept();
  assert.deepEqual(
    [order.order_id, order.amount, order.seller_id, order.seller_amount, order.end_time],
    ["202211232209080046", 9900, 15, 7920, NOW + 30 * 60],
  );
  assert.equal(store.attempts.length, 1);
  assert.equal(store.quotation(ALICE, 7)?.status, 3);
  assert.equal(store.quotation(ALICE, 7)?.order_id, "202211232209080046");
});

test("cancelled on the quotation, re-quoted meanwhile: the price changed, nothing written", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ meanwhile: (_, shop) => shop.editQuotation(ALICE, 7, { quote_price: "120.00" }) });
  await assert.rejects(accept(), refusal("quotation.price_changed"));
  assert.equal(store.orders.size, 0);
});

test("cancelled on the quotation, withdrawn meanwhile: no longer open, nothing written", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ meanwhile: (_, shop) => shop.editQuotation(ALICE, 7, { status: -1 }) });
  await assert.rejects(accept(), refusal("quotation.closed"));
  assert.equal(store.orders.size, 0);
});

test("cancelled on the voucher, spent meanwhile: already used, nothing written", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ meanwhile: (_, shop) => shop.editVoucher(ALICE, 11, { status: 1 }) });
  await assert.rejects(accept(terms({ couponCode: "FIVE" })), refusal("voucher.used"));
  assert.equal(store.orders.size, 0);
  assert.equal(store.quotation(ALICE, 7)?.status, 2);
});

test("cancelled on the coupon use, used meanwhile by the same customer: once per account", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ meanwhile: (_, shop) => shop.couponUses.add(`1/${ALICE}`) });
  await assert.rejects(accept(terms({ couponId: 1 })), refusal("coupon.used_by_account"));
  assert.equal(store.orders.size, 0);
});

test("a campaign coupon: the counter's next ticket is the order's unit, held until the transaction commits", async () => {
  const { store, accept } = memoryShop();
  const order = await accept(terms({ couponId: 1 }));
  assert.deepEqual(
    store.attempts.map((plan) => plan.campaignCoupon?.hold.unit),
    [1],
  );
  assert.deepEqual([...store.unitsOf(1)], [1]);
  assert.equal(store.holds.size, 0, "the transaction took the hold away with it");
  assert.deepEqual(store.tickets.get(1), { issued: 1, takenTime: NOW });
  assert.deepEqual([order.discount_amount, order.amount, order.coupon_id], [1000, 8900, 1]);
});

test("cancelled on the hold, taken over meanwhile by another customer: 503, nothing written", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({
    meanwhile: (plan, shop) => {
      const hold = plan.campaignCoupon?.hold;
      if (hold) shop.holds.set(`1/${hold.unit}`, { ...hold, holder: "someone else" });
    },
  });
  await assert.rejects(accept(terms({ couponId: 1 })), platformFault);
  assert.equal(store.orders.size, 0);
  assert.equal(store.holds.get("1/1")?.holder, "someone else", "not given back: it is not ours");
});

test("a retry after an order-number clash keeps its ticket", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({
    meanwhile: (plan, shop) =>
      shop.commit({ ...plan, quotation: { ...plan.quotation, id: 0 }, campaignCoupon: undefined }),
  });
  await accept(terms({ couponId: 1 }), { suffixes: suffixStarts(46, 5000) });
  assert.deepEqual(
    store.attempts.map((plan) => [plan.order.order_id, plan.campaignCoupon?.hold.unit]),
    [
      ["202211232209080046", 1],
      ["202211232209085000", 1],
    ],
  );
  assert.equal(store.tickets.get(1)?.issued, 1);
});

test("cancelled on the order number, taken meanwhile: a new start, a new number, one order", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({
    meanwhile: (plan, shop) => shop.commit({ ...plan, quotation: { ...plan.quotation, id: 0 } }),
  });
  const order = await accept(terms(), { suffixes: suffixStarts(46, 5000) });
  assert.deepEqual(
    store.attempts.map((plan) => plan.order.order_id),
    ["202211232209080046", "202211232209085000"],
  );
  assert.equal(order.order_id, "202211232209085000");
  assert.equal(store.quotation(ALICE, 7)?.order_id, "202211232209085000");
});

test("transient conflicts: backed off 25–50 ms then 50–100 ms, the third try commits", async () => {
  const { store, pauses, accept } = memoryShop();
  store.steps.push({ conflictOn: ["order"] }, { conflictOn: ["order"] });
  const trace = newTrace();
  const order = await accept(terms(), { trace });
  assert.equal(order.amount, 9900);
  assert.equal(trace.transactionAttempts, 3);
  assert.equal(pauses.length, 2);
  assert.ok(pauses[0] !== undefined && pauses[0] >= 25 && pauses[0] <= 50, `first wait ${pauses[0]} ms`);
  assert.ok(pauses[1] !== undefined && pauses[1] >= 50 && pauses[1] <= 100, `second wait ${pauses[1]} ms`);
});

test("transient conflicts past three retries: 503, nothing written", async () => {
  const { store, pauses, accept } = memoryShop();
  store.steps.push(...Array.from({ length: 5 }, () => ({ conflictOn: ["order" as const] })));
  await assert.rejects(accept(), platformFault);
  assert.equal(store.attempts.length, 4);
  assert.equal(pauses.length, 3);
  assert.equal(store.orders.size, 0);
});

test("a backoff that would end within 300 ms of the deadline is not taken: 503 at once", async () => {
  const { store, pauses, clockMs, accept } = memoryShop();
  store.steps.push({ conflictOn: ["order"] });
  await assert.rejects(accept(terms(), { deadline: clockMs + 320 }), platformFault);
  assert.deepEqual([store.attempts.length, pauses.length, store.orders.size], [1, 0, 0]);
});

test("a conflict on the quotation while a twin request commits: the twin's order is the answer", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({
    meanwhile: (plan, shop) =>
      shop.commit({ ...plan, order: { ...plan.order, order_id: "202211232209089999" } }),
    conflictOn: ["quotation"],
  });
  const trace = newTrace();
  const order = await accept(terms(), { trace });
  assert.equal(order.order_id, "202211232209089999");
  assert.equal(trace.replayed, true);
  assert.deepEqual([store.attempts.length, store.orders.size], [1, 1]);
});

test("no verdict, but the transaction committed: the quotation names our order, which is the answer", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ commitsThenFails: new Error("socket hang up") });
  const order = await accept();
  assert.equal(order.order_id, "202211232209080046");
  assert.equal(store.orders.size, 1);
});

test("no verdict, and nothing committed: 503, nothing written", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ fails: new Error("socket hang up") });
  await assert.rejects(accept(), platformFault);
  assert.deepEqual([store.attempts.length, store.orders.size], [1, 0]);
  assert.equal(store.quotation(ALICE, 7)?.status, 2);
});

test("a request aborted by the handler's deadline is not reconciled: its failure stands", async () => {
  const { store, accept } = memoryShop();
  const aborted = new AbortController();
  aborted.abort();
  const lost = new Error("aborted");
  store.steps.push({ commitsThenFails: lost });
  await assert.rejects(accept(terms(), { signal: aborted.signal }), (error) => error === lost);
});

test("twin request: the same request for an accepted quotation replays its order; another is refused", async () => {
  const { store, accept } = memoryShop();
  const first = await accept(terms({ remark: "rush" }));
  const trace = newTrace();
  const again = await accept(terms({ remark: "rush" }), { trace });
  assert.deepEqual([again.order_id, again.amount, trace.replayed], [first.order_id, 9900, true]);
  assert.equal(trace.transactionAttempts, 0);
  await assert.rejects(
    accept(terms({ remark: "rush", quantity: 2 })),
    refusal("quotation.accepted_differently"),
  );
  assert.deepEqual([store.attempts.length, store.orders.size], [1, 1]);
});

test("a cancellation that names none of the guarded writes: the order could not be placed", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ cancelledOn: ["detail"] });
  await assert.rejects(accept(), refusal("order.not_placed"));
  assert.equal(store.orders.size, 0);
});

test("a campaign coupon with too little time left: 503 before any ticket is taken", async () => {
  const { store, accept, clockMs } = memoryShop();
  await assert.rejects(accept(terms({ couponId: 1 }), { deadline: clockMs + 999 }), platformFault);
  assert.equal(store.tickets.get(1), undefined, "no ticket taken, none to lose");
  assert.equal(store.attempts.length, 0);
});

test("the handler gave up while the ticket was being taken: the hold is written, then given back", async () => {
  const { store, accept } = memoryShop();
  const gaveUp = new AbortController();
  const take = store.takeTicket;
  store.takeTicket = async (...args) => {
    gaveUp.abort(); // the deadline passes meanwhile
    return take(...args);
  };
  await assert.rejects(accept(terms({ couponId: 1 }), { signal: gaveUp.signal }), platformFault);
  assert.equal(store.attempts.length, 0, "no transaction sent");
  assert.equal(store.holds.get("1/1")?.until, 0, "given back: the next customer refused a ticket sells it");
});
