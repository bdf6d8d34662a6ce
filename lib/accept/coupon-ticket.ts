// A campaign coupon's ticket for one accept (lib/domain/coupon-stock.ts): taken after every other check
// passed, held until the order's transaction commits, given back when it surely will not. Takers and
// refused customers also look for tickets taken but never held, and make them holes.
import {
  HOLD_SECONDS,
  lagProbe,
  soldOutStep,
  type TicketRange,
  tailProbe,
  ticketCap,
  type UnitHold,
} from "../domain/coupon-stock.ts";
import type { Coupon } from "../domain/entities.ts";
import { PlatformFault, Refusal } from "../errors.ts";
import type { AcceptStore } from "./store.ts";

/** Holes one request tries to take over when several customers race for them. */
const RELET_TRIES = 3;

/**
 * The ticket this accept's order will carry: the counter's next one, or, when the counter has none
 * left under the coupon's cap, a hole; else the refusal "sold out". `holder` names this request.
 */
export async function claimTicket(
  store: AcceptStore,
  coupon: Coupon,
  now: number,
  holder: string,
  random: () => number,
): Promise<UnitHold> {
  const cap = ticketCap(coupon);
  const until = now + HOLD_SECONDS;
  const taken = await store.takeTicket(coupon.id, cap, now);
  if (taken.unit !== undefined) {
    const hold = { couponId: coupon.id, unit: taken.unit, holder, until };
    // Looking for a lost ticket costs this accept no time: it goes alongside the hold.
    const probed = recoverLost(store, coupon.id, lagProbe(hold.unit), until);
    const [held] = await Promise.allSettled([store.holdUnit(hold), probed]);
    if (held.status === "rejected") throw held.reason;
    if (!held.value) throw new PlatformFault("the ticket was taken over before it was held");
    return hold;
  }
  const { issued } = taken.exhausted;
  const holds = await store.readHolds(coupon.id);
  const step = soldOutStep(taken.exhausted, holds, cap ?? 0, now);
  if (step.kind === "relet") {
    // From a random one on: customers racing for the same holes mostly try different ones.
    const start = Math.floor(random() * step.holes.length);
    for (let i = 0; i < Math.min(RELET_TRIES, step.holes.length); i++) {
      const hole = step.holes[(start + i) % step.holes.length] as UnitHold;
      const hold = { ...hole, holder, until };
      if (await store.reletHold(hole, hold)) return hold;
    }
    throw new Refusal("coupon.sold_out");
  }
  // No hole to sell now: one of the last tickets may be lost (taken, never held). It becomes one.
  const lost = issued <= (cap ?? 0) ? await recoverLost(store, coupon.id, tailProbe(issued), until) : 0;
  if (step.flag && lost === 0) await store.markSoldOut(coupon);
  throw new Refusal("coupon.sold_out");
}

/**
 * Holds, for nobody, the tickets of `range` neither held nor sold, until `until`: their taker, if alive, still
 * holds its ticket over such a hold; if not, they are holes from then on. How many there were.
 */
async function recoverLost(
  store: AcceptStore,
  couponId: number,
  range: TicketRange | undefined,
  until: number,
) {
  if (!range) return 0;
  const lost = await store.findUnheld(couponId, range);
  await Promise.all(lost.map((unit) => store.adoptLost({ couponId, unit, holder: "", until })));
  return lost.length;
}

/** Gives the ticket back for the next customer; a failure only leaves it to expire (HOLD_SECONDS). */
export async function giveBack(store: AcceptStore, hold: UnitHold): Promise<void> {
  await store.releaseHold(hold).catch(() => {});
}
