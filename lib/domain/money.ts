// Money is integer cents (fen) everywhere. Nothing here touches binary floating point.

const DECIMAL_PRICE = /^(\d{1,11})(?:\.(\d{1,2}))?$/;

/** "99" → 9900, "99.5" → 9950, "99.00" → 9900; anything else (negative, 3 decimals, "1e3", "") → undefined. */
export function parsePriceToCents(text: string): number | undefined {
  const match = DECIMAL_PRICE.exec(text.trim());
  if (!match) return undefined;
  const [, units = "", fraction = ""] = match;
  return Number(units) * 100 + Number(fraction.padEnd(2, "0"));
}

/** 50000 → "500.00": a non-negative amount of cents as the customer reads it, with two decimals. */
export function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** floor(amount × percent / 100), exactly, for non-negative integers of any safe size. */
export function percentOf(amount: number, percent: number): number {
  return Number((BigInt(amount) * BigInt(percent)) / 100n);
}
