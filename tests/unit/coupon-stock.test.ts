// A campaign coupon's tickets, holds and sold-out flag (lib/domain/coupon-stock.ts, lib/accept/coupon-ticket.ts)
// on the in-memory store: the two money defects of a changed total, holes given back or abandoned and sold
// again, the flag, and a property over interleavings. tests/coupon-stock.test.ts runs the same on DynamoDB Local.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { acceptQuotation } from "../../lib/accept/accept-quotation.ts";
import { newTrace } from "../../lib/accept/trace.ts";
import { HOLD_SECONDS, LOST_LAG, soldOutStep } from "../../lib/domain/coupon-stock.ts";
import { Refusal } from "../../lib/errors.ts";
import { memoryShop, NOW, shopWorld, terms } from "../support/memory-accept.ts";
import type { MemoryStore, World } from "../support/memory-store.ts";
import { assertProperty } from "../support/seeds.ts";

const FIRST = 3000;

/** The small shop plus `customers` buyers, each with a quotation (id = user id) of 99.00 for goods 188. */
function campaignWorld(customers: number, coupon: { total: number; used?: number }): World {
  const world = shopWorld();
  const ids = Array.from({ length: customers }, (_, i) => FIRST + i);
  return {
    ...world,
    users: [...(world.users ?? []), ...ids.map((id) => ({ id, user_name: `buyer${id}` }))],
    comm_orders: ids.map((id) => ({
      id,
      user_id: id,
      archive_id: 188,
      title: "Theme",
      status: 2,
      quote_price: "99.00",
    })),
    coupons: [{ id: 1, title: "10 off", amount: 1_000, public: 1, ...coupon }],
  };
}

/** A shop whose clock the test moves, and an accept of customer `i` (0-based) naming coupon 1. */
function campaign(customers: number, coupon: { total: number; used?: number }) {
  const shop = memoryShop(campaignWorld(customers, coupon));
  const clock = { now: NOW };
  const buy = (i: number) =>
    acceptQuotation(
      terms({ commOrderId: FIRST + i, couponId: 1 }),
      FIRST + i,
      shop.deps({ now: () => clock.now, trace: newTrace() }),
    ).then(
      (order) => order.order_id,
      (error: unknown) => {
        if (error instanceof Refusal) return error.key;
        throw error;
      },
    );
  const setTotal = (total: number) => {
    const current = shop.store.coupons.get(1);
    if (current) shop.store.coupons.set(1, { ...current, total });
  };
  return { ...shop, clock, buy, setTotal };
}

const sold = (store: MemoryStore) => [...store.unitsOf(1)].sort((a, b) => a - b);
const transactions = (store: MemoryStore) => store.attempts.length;

test("soldOutStep: holes only within the cap, the flag only once nothing can come back", () => {
  const hold = (unit: number, until: number) => ({ couponId: 1, unit, holder: `h${unit}`, until });
  const exhausted = { issued: 5, takenTime: NOW };
  assert.deepEqual(soldOutStep(exhausted, [hold(2, NOW - 1), hold(3, NOW + 9)], 5, NOW), {
    kind: "relet",
    holes: [hold(2, NOW - 1)],
  });
  assert.deepEqual(soldOutStep(exhausted, [hold(2, 0)], 4, NOW), { kind: "sold_out", flag: true });
  assert.deepEqual(soldOutStep(exhausted, [hold(3, NOW + 9)], 5, NOW), { kind: "sold_out", flag: false });
  assert.deepEqual(soldOutStep(exhausted, [], 5, NOW + HOLD_SECONDS - 1), { kind: "sold_out", flag: false });
  assert.deepEqual(soldOutStep(exhausted, [], 5, NOW + HOLD_SECONDS), { kind: "sold_out", flag: true });
});

test("a lowered total stops sales from the next read: 5 of 20 sold, total 5, three more refused", async () => {
  const { store, buy, setTotal } = campaign(8, { total: 20 });
  for (let i = 0; i < 5; i++) await buy(i);
  setTotal(5);
  assert.deepEqual([await buy(5), await buy(6), await buy(7)], Array(3).fill("coupon.sold_out"));
  assert.deepEqual(sold(store), [1, 2, 3, 4, 5]);
  assert.equal(transactions(store), 5, "the refused send no transaction");
  assert.equal(store.orders.size, 5);
});

test("uses while unlimited count once it is limited: 4 uses, total 4, three more refused", async () => {
  const { store, buy, setTotal } = campaign(7, { total: 0 });
  for (let i = 0; i < 4; i++) assert.match(await buy(i), /^\d{18}$/);
  setTotal(4);
  assert.deepEqual([await buy(4), await buy(5), await buy(6)], Array(3).fill("coupon.sold_out"));
  assert.equal(store.orders.size, 4);
  setTotal(6);
  assert.match(await buy(4), /^\d{18}$/, "raising it reopens sales");
  assert.deepEqual(sold(store), [1, 2, 3, 4, 5]);
});

test("refused after taking a ticket (re-quoted meanwhile): given back, the next customer sells its unit", async () => {
  const { store, buy } = campaign(3, { total: 2 });
  store.steps.push({ meanwhile: (_, shop) => shop.editQuotation(FIRST, FIRST, { quote_price: "120.00" }) });
  assert.equal(await buy(0), "quotation.price_changed");
  assert.equal(store.holds.get("1/1")?.until, 0, "given back at once");
  await buy(1); // ticket 2
  assert.match(await buy(2), /^\d{18}$/, "the counter is exhausted: the hole is taken over");
  assert.deepEqual(sold(store), [1, 2]);
  assert.equal(store.holds.size, 0);
});

test("a hole is not sold again once the total is lowered below the tickets taken; raised to them, it is", async () => {
  const { store, buy, setTotal } = campaign(6, { total: 4 });
  await buy(0);
  await buy(1);
  store.steps.push({ cancelledOn: ["commission"] });
  assert.equal(await buy(2), "order.not_placed"); // ticket 3 given back
  setTotal(2); // what is sold
  assert.equal(await buy(3), "coupon.sold_out", "three tickets taken, total 2: the hole stays unsold");
  setTotal(3);
  assert.match(await buy(4), /^\d{18}$/, "within the total again: the hole is sold");
  assert.deepEqual(sold(store), [1, 2, 3]);
  assert.equal(store.tickets.get(1)?.issued, 3);
});

test("no verdict (its transaction may yet commit): the hold stands until it expires, then a later customer sells it", async () => {
  const { store, buy, clock } = campaign(4, { total: 2 });
  store.steps.push({ fails: new Error("socket hang up") });
  await assert.rejects(buy(0));
  assert.equal(store.holds.get("1/1")?.until, NOW + HOLD_SECONDS, "kept, not given back");
  await buy(1);
  clock.now = NOW + HOLD_SECONDS - 1;
  assert.equal(await buy(2), "coupon.sold_out", "still held");
  assert.equal(store.coupons.get(1)?.sold_out_total, 0, "not flagged: the hold may come back");
  clock.now = NOW + HOLD_SECONDS;
  assert.match(await buy(3), /^\d{18}$/);
  assert.deepEqual(sold(store), [1, 2]);
});

test("a ticket never held (its request ended after the take) is found by a customer refused a ticket, then sold", async () => {
  const { store, buy, clock } = campaign(4, { total: 2 });
  store.holdFailures = 1;
  await assert.rejects(buy(0));
  assert.deepEqual([store.tickets.get(1)?.issued, store.holds.size], [1, 0], "ticket 1 taken, never held");
  await buy(1); // ticket 2
  assert.equal(await buy(2), "coupon.sold_out", "ticket 1 is found, held for nobody until it is surely lost");
  assert.deepEqual(store.holds.get("1/1"), { couponId: 1, unit: 1, holder: "", until: NOW + HOLD_SECONDS });
  clock.now = NOW + HOLD_SECONDS;
  assert.match(await buy(3), /^\d{18}$/);
  assert.deepEqual(sold(store), [1, 2]);
});

test("a ticket never held is found by the taker of the ticket LOST_LAG later", async () => {
  const { store, buy } = campaign(LOST_LAG + 2, { total: 20 });
  store.holdFailures = 1;
  await assert.rejects(buy(0));
  for (let i = 1; i < LOST_LAG; i++) await buy(i);
  assert.equal(store.holds.size, 0, "not looked for yet");
  await buy(LOST_LAG); // ticket LOST_LAG + 1 looks for ticket 1
  assert.equal(store.holds.get("1/1")?.holder, "");
});

test("sold out is flagged once nothing can come back; then a refusal asks for no ticket at all", async () => {
  const { store, buy, clock } = campaign(4, { total: 1 });
  await buy(0);
  assert.equal(await buy(1), "coupon.sold_out");
  assert.equal(
    store.coupons.get(1)?.sold_out_total,
    0,
    "the last ticket is fresh: its hold may be on its way",
  );
  clock.now = NOW + HOLD_SECONDS;
  assert.equal(await buy(2), "coupon.sold_out");
  assert.deepEqual([store.coupons.get(1)?.sold_out_total, store.coupons.get(1)?.sold_out_used], [1, 0]);
  store.stockCalls.length = 0;
  assert.equal(await buy(3), "coupon.sold_out");
  assert.deepEqual(store.stockCalls, [], "no counter update, no write");
  assert.equal(transactions(store), 1);
});

/**
 * Interleavings: customers buy while the merchant changes the total, transactions fail without a verdict
 * (their tickets held until they expire), are refused after the ticket (given back) or end before their
 * hold is written (the ticket lost, to be found), time passes, and
 * now and then everything in flight ends before the next events start.
 * Each store call waits for the scheduler, which runs them in an order fast-check chooses.
 */
test("property: no interleaving of sales, holes, recoveries and changes of total oversells", async () => {
  const event = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant("buy" as const) }), weight: 4 },
    {
      arbitrary: fc.record({ kind: fc.constant("total" as const), total: fc.integer({ min: 0, max: 7 }) }),
      weight: 2,
    },
    { arbitrary: fc.record({ kind: fc.constant("lost" as const) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant("refused" as const) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant("gap" as const) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant("tick" as const) }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant("settle" as const) }), weight: 2 },
  );
  const property = fc.asyncProperty(
    fc.scheduler(),
    fc.integer({ min: 2, max: 7 }),
    fc.array(event, { minLength: 1, maxLength: 16 }),
    async (s, firstTotal, events) => {
      const customers = 4 * events.length + 12;
      const { store, clock, setTotal, deps } = campaign(customers, { total: firstTotal, used: 1 });
      let total = firstTotal;
      const limit = (value: number) => (value === 0 ? Number.POSITIVE_INFINITY : value); // 0: unlimited
      // For each request in flight: the largest total in force while it, or any request in flight at the
      // same time, ran. A request that read the Coupon before a change sells under the total it read
      // (docs/data-model.md, "Staleness"); a sale that overlaps none of those is bound by what it saw.
      const windows = new Map<number, number>();
      const raise = (to: number) => {
        for (const [user, largest] of windows) windows.set(user, Math.max(largest, to));
      };
      const violations: string[] = [];
      const write = store.writeAcceptance.bind(store);
      store.writeAcceptance = async (plan) => {
        await write(plan);
        const count = 1 + store.unitsOf(1).size;
        const largest = windows.get(plan.order.user_id) ?? 0; // still in flight: it is committing now
        if (count > largest)
          violations.push(`order ${plan.order.order_id}: ${count} uses, largest total ${largest}`);
      };
      const scheduled = new Proxy(store, {
        get(target, name, receiver) {
          const value = Reflect.get(target, name, receiver);
          if (typeof value !== "function" || name === "commit" || name === "unitsOf" || name === "quotation")
            return value;
          return (...args: unknown[]) =>
            s.schedule(Promise.resolve(String(name))).then(() => value.apply(target, args));
        },
      });
      let next = 0;
      const runs: Promise<unknown>[] = [];
      const buy = () => {
        const user = FIRST + next++;
        const overlapping = Math.max(limit(total), ...windows.values());
        raise(limit(total));
        windows.set(user, overlapping);
        const run = acceptQuotation(
          terms({ commOrderId: user, couponId: 1 }),
          user,
          deps({ store: scheduled, now: () => clock.now, trace: newTrace() }),
        );
        runs.push(
          run.then(
            () => windows.delete(user),
            () => windows.delete(user),
          ),
        );
      };
      // Every event starts when the scheduler says, so that requests start before and after changes.
      const happen = (label: string, what: () => void) =>
        runs.push(s.schedule(Promise.resolve(label)).then(what));
      // Runs are added while others run: wait until none is left.
      const settle = async () => {
        for (let waited = 0; waited < runs.length; ) {
          waited = runs.length;
          await s.waitFor(Promise.all(runs));
        }
      };
      for (const e of events) {
        if (e.kind === "settle") await settle(); // what follows starts after everything before it ended
        if (e.kind === "buy") happen("buy", buy);
        if (e.kind === "lost") {
          store.steps.push({ fails: new Error("socket hang up") });
          happen("buy", buy);
        }
        if (e.kind === "gap") {
          store.holdFailures += 1; // some request's hold is never written
          happen("buy", buy);
        }
        if (e.kind === "refused") {
          store.steps.push({ cancelledOn: ["commission"] });
          happen("buy", buy);
        }
        if (e.kind === "total") {
          happen(`total ${e.total}`, () => {
            total = e.total;
            setTotal(total);
            raise(limit(total));
          });
        }
        if (e.kind === "tick") happen("tick", () => (clock.now += 10));
      }
      await settle();
      assert.deepEqual(violations, [], String(s));

      // Recovery: the total is raised past every ticket, and customers keep coming; whenever one is
      // refused, time passes (holds expire, tickets found lost become holes). The shop sells exactly up
      // to its total: every hole is sold again.
      const issued = store.tickets.get(1)?.issued ?? 0;
      total = issued + 3;
      setTotal(total);
      store.steps.length = 0;
      store.holdFailures = 0;
      while (next < customers && 1 + store.unitsOf(1).size < total) {
        windows.set(FIRST + next, total);
        const answer = await acceptQuotation(
          terms({ commOrderId: FIRST + next, couponId: 1 }),
          FIRST + next,
          deps({ now: () => clock.now, trace: newTrace() }),
        ).catch(() => undefined);
        if (!answer) clock.now += HOLD_SECONDS;
        next++;
      }
      assert.equal(
        1 + store.unitsOf(1).size,
        total,
        `every hole sold again: ${JSON.stringify({ tickets: [...store.tickets], units: sold(store), holds: [...store.holds.values()], coupon: store.coupons.get(1) })} ${String(s)}`,
      );
      assert.equal(store.orders.size, store.unitsOf(1).size, "one unit per order");
    },
  );
  await assertProperty("coupon-stock", property, { numRuns: 300 });
});
