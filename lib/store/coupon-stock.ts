// A limited campaign coupon's sold units (lib/domain/coupon-units.ts), and its use count.
import type { Db } from "./db.ts";
import { couponUnitPartition, keys, sortPrefix } from "./keys.ts";
import { queryCount, queryItems } from "./query.ts";
import { readCoupon } from "./reads.ts";

/** The unit numbers of a coupon already sold (strongly consistent: it decides "sold out"). */
export async function takenUnits(db: Db, couponId: number): Promise<Set<number>> {
  const items = await queryItems(db, {
    pk: couponUnitPartition(couponId),
    prefix: sortPrefix.couponUnit,
    select: { attributes: ["unit"] },
  });
  return new Set(items.map((item) => Number(item.unit)));
}

/**
 * How many times a campaign coupon has been used: the Coupon's own `used` (what was imported) plus
 * what this service sold: its CouponUnit items when limited (`total` > 0), else its CouponUse items.
 * For a limited coupon this never exceeds the largest `total` it had while selling.
 */
export async function couponUseCount(db: Db, couponId: number): Promise<number> {
  const coupon = await readCoupon(db, couponId);
  if (!coupon) return 0;
  const sold =
    coupon.total > 0
      ? await queryCount(db, { pk: couponUnitPartition(couponId), prefix: sortPrefix.couponUnit })
      : await queryCount(db, { pk: keys.coupon(couponId).pk, prefix: sortPrefix.couponUse });
  return coupon.used + sold;
}
