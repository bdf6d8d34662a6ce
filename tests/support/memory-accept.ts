// The accept use case on the in-memory store (tests/support/memory-store.ts): a small shop, a fixed
// clock, pinned random sources, and backoffs recorded instead of waited, so that the write loop's
// branches run in milliseconds without Java.
import * as v from "valibot";
import { type AcceptDeps, acceptQuotation } from "../../lib/accept/accept-quotation.ts";
import { newTrace } from "../../lib/accept/trace.ts";
import { SettingsSchema } from "../../lib/domain/entities.ts";
import { SuffixSequence } from "../../lib/domain/order-number.ts";
import type { AcceptTerms } from "../../lib/domain/terms.ts";
import { MemoryStore, type World } from "./memory-store.ts";

/** The interface document's moment: 2022-11-23 22:09:08 in Asia/Shanghai. */
export const NOW = 1_669_212_548;
export const ALICE = 1000;

export const shopWorld = (): World => ({
  users: [
    { id: 15, user_name: "studio15" },
    { id: ALICE, user_name: "alice", group_id: 1 },
  ],
  goods: [{ id: 188, title: "Custom theme", price: 12_900, user_id: 15 }],
  comm_orders: [
    { id: 7, user_id: ALICE, archive_id: 188, title: "Custom site theme", status: 2, quote_price: "99.00" },
  ],
  coupons: [
    { id: 1, title: "10 off, 3 units", amount: 1_000, public: 1, total: 3 },
    { id: 2, title: "5 off, as vouchers", amount: 500 },
  ],
  coupon_codes: [{ id: 11, coupon_id: 2, code: "FIVE", user_id: ALICE }],
});

/** The request of the interface document's example, by comm_order_id. */
export const terms = (more: Partial<AcceptTerms> = {}): AcceptTerms => ({
  commOrderId: 7,
  quantity: 1,
  skuId: 0,
  ...more,
});

/** A random source that yields these values in turn, forever. */
export const cycle = (...values: number[]) => {
  let next = 0;
  return () => values[next++ % values.length] ?? 0;
};

/** Order-number suffixes from these starts (0–9999), as SuffixSequence draws them. */
export const suffixStarts = (...starts: number[]) =>
  new SuffixSequence(cycle(...starts.map((s) => (s + 0.5) / 10_000)));

export function memoryShop(world: World = shopWorld()) {
  const store = new MemoryStore(world);
  const pauses: number[] = [];
  const clockMs = NOW * 1000;
  const suffixes = suffixStarts(46); // one container's, as the handler keeps it
  const deps = (more: Partial<AcceptDeps> = {}): AcceptDeps => ({
    store,
    settings: async () => v.parse(SettingsSchema, { seller_percent: 80, auto_close_minute: 30 }),
    now: () => NOW,
    trace: newTrace(),
    suffixes,
    random: () => 0,
    clock: () => clockMs,
    pause: async (ms) => {
      pauses.push(ms);
    },
    ...more,
  });
  const accept = (request: AcceptTerms = terms(), more: Partial<AcceptDeps> = {}) =>
    acceptQuotation(request, ALICE, deps(more));
  return { store, pauses, clockMs, deps, accept };
}
