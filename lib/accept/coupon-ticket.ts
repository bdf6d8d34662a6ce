// A campaign coupon's ticket for one accept (lib/domain/coupon-stock.ts): taken after every other check
// passed, held until the order's transaction commits, given back when it surely will not.
import { HOLD_SECONDS, soldOutStep, ticketCap, type UnitHold } from "../domain/coupon-stock.ts";
import type { Coupon } from "../domain/entities.ts";
import { Refusal } from "../errors.ts";
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
    await store.holdUnit(hold);
    return hold;
  }
  const step = soldOutStep(taken.exhausted, await store.readHolds(coupon.id), cap ?? 0, now);
  if (step.kind === "relet") {
    // From a random one on: customers racing for the same holes mostly try different ones.
    const start = Math.floor(random() * step.holes.length);
    for (let i = 0; i < Math.min(RELET_TRIES, step.holes.length); i++) {
      const hole = step.holes[(start + i) % step.holes.length] as UnitHold;
      const hold = { ...hole, holder, until };
      if (await store.reletHold(hole, hold)) return hold;
    }
  } else if (step.flag) {
    await store.markSoldOut(coupon);
  }
  throw new Refusal("coupon.sold_out");
}

/** Gives the ticket back for the next customer; a failure only leaves it to expire (HOLD_SECONDS). */
export async function giveBack(store: AcceptStore, hold: UnitHold): Promise<void> {
  await store.releaseHold(hold).catch(() => {});
}
