// A campaign coupon's stock (docs/data-model.md, "A coupon's use count"): every use made here takes the
// next ticket of the coupon's counter, and ticket n is unit n, sold by the order's transaction with a
// put-if-absent. A ticket is held (a lease) until its transaction commits; one that never commits is a
// hole, sold again to a customer who finds the counter exhausted. Decisions only, no I/O.
import type { Coupon } from "./entities.ts";

/** How long a ticket's hold lasts: well past the Lambda timeout (6 s), so that a live request keeps it. */
export const HOLD_SECONDS = 30;

/** Holds read at once when the counter is exhausted: in flight and abandoned ones, never the sold units. */
export const HOLDS_READ = 25;

/** A ticket held by one request: `until` in Unix seconds, 0 when given back (free to take at once). */
export interface UnitHold {
  couponId: number;
  unit: number;
  /** The request holding it: the transaction commits only while the hold is still its own. */
  holder: string;
  until: number;
}

/** The counter as it stood when a ticket was refused: how many were taken, the last one when. */
export interface Exhausted {
  issued: number;
  takenTime: number;
}

/**
 * Tickets this service may still hand out: `total` less every use counted before (`used`, imported),
 * so that the counter, which counts every use made here (while unlimited too), compares with it.
 * Undefined: unlimited (`total` 0).
 */
export const ticketCap = (coupon: Pick<Coupon, "total" | "used">): number | undefined =>
  coupon.total > 0 ? coupon.total - coupon.used : undefined;

/** Sold out at this very total and used, as the flag on the Coupon says (set by soldOutStep). */
export const knownSoldOut = (coupon: Coupon): boolean =>
  coupon.total > 0 && coupon.sold_out_total === coupon.total && coupon.sold_out_used === coupon.used;

/** What a request refused a ticket does: take over one of the holes, or answer sold out (flagged or not). */
export type SoldOutStep = { kind: "relet"; holes: UnitHold[] } | { kind: "sold_out"; flag: boolean };

/**
 * After the counter refused a ticket under `cap`. Holes count within the cap only while every ticket
 * issued does (`issued` ≤ `cap`): after a lowered total, no unit is sold again. A hole is a hold given
 * back (until 0) or expired. Sold out is flagged only when nothing can come back: no hold at all, and
 * the last ticket older than a hold, so that its taker has written its hold or never will.
 */
export function soldOutStep(
  exhausted: Exhausted,
  holds: readonly UnitHold[],
  cap: number,
  now: number,
): SoldOutStep {
  if (exhausted.issued > cap) return { kind: "sold_out", flag: true };
  const holes = holds.filter((hold) => hold.until <= now);
  if (holes.length > 0) return { kind: "relet", holes };
  const settled = holds.length === 0 && exhausted.takenTime + HOLD_SECONDS <= now;
  return { kind: "sold_out", flag: settled };
}
