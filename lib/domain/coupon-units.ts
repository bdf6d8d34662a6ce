// A limited campaign coupon's stock as numbered units: `used` + 1 … `total`. `used` on the Coupon is
// the count carried in from outside (imported data); every unit sold here is a CouponUnit item of its
// own, claimed with a put-if-absent, so no accept writes a shared counter (docs/data-model.md).

export interface Stock {
  used: number;
  total: number;
}

/** The unit numbers for sale: `used` + 1 … `total` (none when `total` ≤ `used`). */
export const unitRange = ({ used, total }: Stock) => ({ first: Math.max(1, used + 1), last: total });

/**
 * A unit to claim: a random one of the range, not in `taken`, preferably not in `avoid` (units another
 * transaction holds right now). Undefined when every unit of the range is taken: sold out.
 */
export function pickUnit(
  stock: Stock,
  taken: ReadonlySet<number>,
  avoid: ReadonlySet<number> = new Set(),
  random: () => number = Math.random,
): number | undefined {
  const { first, last } = unitRange(stock);
  if (last < first) return undefined;
  const size = last - first + 1;
  // Random draws first: cheap while most units are free, whatever the range's size.
  for (let draw = 0; draw < 8; draw++) {
    const unit = first + Math.floor(random() * size);
    if (!taken.has(unit) && !avoid.has(unit)) return unit;
  }
  const free: number[] = [];
  for (let unit = first; unit <= last; unit++) if (!taken.has(unit)) free.push(unit);
  const preferred = free.filter((unit) => !avoid.has(unit));
  const from = preferred.length > 0 ? preferred : free;
  return from[Math.floor(random() * from.length)];
}
