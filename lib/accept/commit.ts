// The acceptance's write loop (rule 8 and "Exactly once", docs/accept.md): sends the one transaction
// until it commits or a cancellation has a final answer; retries only what may succeed, never past the
// deadline; a failure without a verdict is reconciled by reading the quotation back.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { UnitHold } from "../domain/coupon-stock.ts";
import type { Coupon } from "../domain/entities.ts";
import { type OrderView, orderView } from "../domain/order.ts";
import type { SuffixSequence } from "../domain/order-number.ts";
import { type Acceptance, type AcceptancePlan, planAcceptance } from "../domain/plan.ts";
import { QuotationStatus } from "../domain/statuses.ts";
import type { SentTerms } from "../domain/terms.ts";
import { AcceptanceCancelled, PlatformFault, Refusal } from "../errors.ts";
import { claimTicket, giveBack } from "./coupon-ticket.ts";
import { explainQuotationChange } from "./replay.ts";
import type { AcceptStore } from "./store.ts";
import type { RequestTrace } from "./trace.ts";

export interface CommitDeps {
  store: AcceptStore;
  /** Filled in as the request goes, for its log line and metrics. */
  trace: RequestTrace;
  /** This container's order-number suffixes. */
  suffixes: SuffixSequence;
  /** Picks among a campaign coupon's holes (tests make it predictable); Math.random by default. */
  random?: (() => number) | undefined;
  /** When the answer is due, in `clock` milliseconds; undefined: no deadline. */
  deadline?: number | undefined;
  /** Milliseconds since the epoch (Date.now by default): the deadline's clock. */
  clock?: (() => number) | undefined;
  /** Aborted when the handler gives up (its own 503): backoffs end, and nothing is reconciled. */
  signal?: AbortSignal | undefined;
  /** Waits between tries (a timer on `signal` by default); unit tests record the delays instead. */
  pause?: ((ms: number) => Promise<void>) | undefined;
}

/**
 * The voucher this accept chose was spent or voided by someone else meanwhile: the accept is decided
 * again from fresh reads (lib/accept/accept-quotation.ts), which take another unused voucher with the
 * same code, or refuse saying what became of this one.
 */
export class VoucherChanged extends Error {
  override name = "VoucherChanged";
}

/** Transient cancellations (conflicts, throttled items) are retried this many times, with jitter. */
const WRITE_RETRIES = 3;
/** Every try of the transaction, whatever cancelled the last: order-number clashes mostly. */
const MAX_TRIES = 12;
/** A retry is only worth its backoff when this much time is left after it for the write itself. */
const WRITE_RESERVE_MS = 300;
/** A coupon ticket is taken only with this much time left: for its hold, then the transaction. */
const TICKET_RESERVE_MS = 1_000;

export async function commit(acceptance: Acceptance, sent: SentTerms, deps: CommitDeps): Promise<OrderView> {
  const { store } = deps;
  // After every other check passed: a refused customer never takes a ticket.
  const hold = acceptance.campaign
    ? await claimWithTimeLeft(acceptance.campaign, acceptance.order.now, deps)
    : undefined;
  const outcome = { unknown: false };
  try {
    if (hold && deps.signal?.aborted) throw new PlatformFault("the handler gave up before the transaction");
    return await writeWithRetries(acceptance, sent, deps, hold, outcome);
  } catch (error) {
    // Surely not written: the ticket is the next customer's at once. Unknown: it may yet commit, and
    // its hold keeps the unit from anyone else until it expires.
    if (hold && !outcome.unknown) await giveBack(store, hold);
    throw error;
  }
}

/**
 * A campaign coupon's ticket, taken only while there is time for its hold and the transaction: a ticket
 * taken but never held is found and sold only later (docs/data-model.md, "Keeping holes few").
 */
async function claimWithTimeLeft(coupon: Coupon, now: number, deps: CommitDeps): Promise<UnitHold> {
  if (deps.deadline !== undefined && (deps.clock ?? Date.now)() + TICKET_RESERVE_MS > deps.deadline) {
    throw new PlatformFault("too little time left to take a coupon ticket");
  }
  return claimTicket(deps.store, coupon, now, randomUUID(), deps.random ?? Math.random);
}

async function writeWithRetries(
  acceptance: Acceptance,
  sent: SentTerms,
  deps: CommitDeps,
  hold: UnitHold | undefined,
  outcome: { unknown: boolean },
): Promise<OrderView> {
  const { store, trace } = deps;
  // A fresh order number each time, and with it the ids derived from it; the ticket stays.
  const planned = () => planAcceptance(acceptance, { suffix: deps.suffixes.take(), hold });
  const explain = (plan: AcceptancePlan, current?: Parameters<typeof explainQuotationChange>[5]) =>
    explainQuotationChange(store, plan.quotation, sent, trace, plan.order.created_time, current);

  let plan = planned();
  let transientRetries = 0;
  for (let tries = 1; ; tries++) {
    try {
      trace.transactionAttempts += 1;
      await store.writeAcceptance(plan);
      return writtenOrder(plan);
    } catch (error) {
      if (!(error instanceof AcceptanceCancelled)) {
        outcome.unknown = !(error instanceof Refusal);
        return reconcile(deps, plan, error);
      }
      if (error.failed.includes("quotation")) return explain(plan);
      if (error.failed.includes("voucher")) throw new VoucherChanged();
      if (error.failed.includes("coupon_use")) throw new Refusal("coupon.used_by_account");
      if (error.failed.includes("coupon") && hold) {
        // The unit is sold: a ticket thought lost whose taker was slow, not gone, or a counter set
        // behind its units (docs/operations.md). The hold is of no use to anyone.
        await store.dropHold(hold).catch(() => {});
      }
      if (error.failed.includes("hold") || error.failed.includes("coupon")) {
        // Our hold outlived us and went to another customer, or the unit is sold: try again later.
        throw new PlatformFault("the coupon's ticket was not ours to sell", { cause: error });
      }
      if (tries >= MAX_TRIES || (error.transient && transientRetries >= WRITE_RETRIES)) {
        throw new PlatformFault("acceptance kept being cancelled", { cause: error });
      }
      if (error.transient) {
        await backoff(transientRetries++, deps, error);
        if (error.conflicted.includes("quotation")) {
          // A twin request (or the merchant) held the quotation: if it changed, that decides the answer.
          const current = await store.readQuotation(plan.quotation.userId, plan.quotation.id);
          if (
            current?.status !== QuotationStatus.quoted ||
            current.quote_price !== plan.quotation.quotePrice
          ) {
            return explain(plan, current);
          }
        }
        continue;
      }
      if (error.failed.includes("order") || error.failed.includes("address")) {
        deps.suffixes.jump(); // another container's run of numbers: leave it
        plan = planned();
        continue;
      }
      throw new Refusal("order.not_placed");
    }
  }
}

/** Exponential backoff with jitter, 25 ms doubling, ×1–2, at most 250 ms; never past the deadline. */
async function backoff(retry: number, deps: CommitDeps, cause: unknown): Promise<void> {
  const delay = Math.min(25 * 2 ** retry * (1 + Math.random()), 250);
  const now = (deps.clock ?? Date.now)();
  if (deps.deadline !== undefined && now + delay + WRITE_RESERVE_MS > deps.deadline) {
    throw new PlatformFault("acceptance kept conflicting, out of time", { cause });
  }
  const { signal } = deps;
  await (deps.pause ?? ((ms) => sleep(ms, undefined, signal ? { signal } : undefined)))(delay);
}

/**
 * The write failed without a verdict (network, timeout): it may have committed. If the quotation now
 * names our order, it did; otherwise it is a platform fault the customer may retry.
 */
async function reconcile(deps: CommitDeps, plan: AcceptancePlan, error: unknown): Promise<OrderView> {
  if (error instanceof Refusal || deps.signal?.aborted) throw error;
  const { userId, id } = plan.quotation;
  const quotation = await deps.store.readQuotation(userId, id).catch(() => undefined);
  if (quotation?.order_id === plan.order.order_id) return writtenOrder(plan);
  throw new PlatformFault("the acceptance could not be written", { cause: error });
}

/** The answer for an order this request wrote: built from the plan, with no read back. */
function writtenOrder(plan: AcceptancePlan): OrderView {
  return orderView({ order: plan.order, details: [plan.detail], address: plan.snapshot });
}
