// What the order costs: the quote times the quantity, less the coupon. Integer cents throughout.
import { Refusal } from "../errors.ts";
import { couponDiscount } from "./coupons.ts";
import type { Coupon } from "./entities.ts";

export interface Amounts {
  origin_amount: number;
  discount_amount: number;
  amount: number;
}

export function originAmount(unitPrice: number, quantity: number): number {
  const origin = unitPrice * quantity;
  if (!Number.isSafeInteger(origin)) throw new Refusal("order.amount_too_large");
  return origin;
}

/** A coupon that would take nothing off (a `reduce` of 0) is refused: using it spends a voucher or a use for nothing. */
export function orderAmounts(unitPrice: number, quantity: number, coupon?: Coupon): Amounts {
  const origin_amount = originAmount(unitPrice, quantity);
  const discount_amount = coupon ? couponDiscount(coupon, origin_amount) : 0;
  if (coupon && discount_amount === 0) throw new Refusal("coupon.no_discount");
  return { origin_amount, discount_amount, amount: origin_amount - discount_amount };
}
