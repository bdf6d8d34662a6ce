// A campaign coupon's stock (docs/data-model.md, "A coupon's use count"): every use made here takes the
// next ticket of the coupon's counter, and ticket n is unit n, sold by the order's transaction with a
// put-if-absent. A ticket is held (a lease) until its transaction commits; one that never commits is a
// hole, sold again to a customer who finds the counter exhausted; one never held is found LOST_LAG
// tickets later and made a hole. Decisions only, no I/O.
import type { Coupon } from "./entities.ts";

/**
 * How long a ticket's hold lasts: past the Lambda timeout (6 s), so that a live request keeps it. A late
 * transaction of an expired hold cannot sell its unit anyway: the hold's condition refuses it.
 */
export const HOLD_SECONDS = 10;

/**
 * A ticket taken but never held (its request ended between the two writes) is looked for by the taker
 * of the ticket this many later, and, among the last ones, by a customer the counter refuses.
 */
export const LOST_LAG = 8;

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

/** Tickets `first` … `last`. */
export type TicketRange = [first: number, last: number];

/** The ticket the taker of `unit` looks for, if any: LOST_LAG earlier. */
export const lagProbe = (unit: number): TicketRange | undefined =>
  unit > LOST_LAG ? [unit - LOST_LAG, unit - LOST_LAG] : undefined;

/**
 * The last LOST_LAG tickets: those a customer refused a ticket looks for (tickets before them were each
 * looked for by the taker of a later one).
 */
export const tailProbe = (issued: number): TicketRange | undefined =>
  issued > 0 ? [Math.max(1, issued - LOST_LAG + 1), issued] : undefined;

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
