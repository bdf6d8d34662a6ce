// Which coupon may be used on an order, and what it takes off. One coupon per order at most.
import { Refusal } from "../errors.ts";
import { knownSoldOut } from "./coupon-stock.ts";
import type { Coupon, CouponCode } from "./entities.ts";
import { formatCents, percentOf } from "./money.ts";
import { CouponStatus, Flag, VoucherStatus } from "./statuses.ts";
import type { AcceptTerms } from "./terms.ts";

export interface CouponContext {
  coupon: Coupon;
  /** The voucher (single-use code) when the coupon was named by code; absent for a campaign coupon. */
  voucher?: CouponCode | undefined;
  /** How the request named the voucher (voucherField). */
  voucherField?: string | undefined;
  /** Whether this user has already used this campaign coupon. */
  usedByUser: boolean;
  goodsId: number;
  originAmount: number;
  now: number;
}

const voucherExpired = (voucher: CouponCode, now: number) =>
  voucher.expire_time > 0 && voucher.expire_time < now;

/** The request field that named the voucher, for the refusals that speak of it. */
export const voucherField = (terms: Pick<AcceptTerms, "couponCodeId">) =>
  terms.couponCodeId ? "coupon_code_id" : "coupon_code";

/** `field`: how the request named the voucher (voucherField). */
export function assertVoucherUsable(voucher: CouponCode, now: number, field = "coupon_code"): void {
  if (voucher.status === VoucherStatus.used) throw new Refusal("voucher.used", { field });
  if (voucher.status !== VoucherStatus.unused) throw new Refusal("voucher.void", { field });
  if (voucherExpired(voucher, now)) throw new Refusal("voucher.expired", { field });
}

/**
 * Of the caller's vouchers with one code, the one to use: an unused one, unexpired first; with none
 * unused, the first, so that the refusal says why (used, void).
 */
export function chooseVoucher(vouchers: CouponCode[], now: number): CouponCode | undefined {
  const unused = vouchers.filter((voucher) => voucher.status === VoucherStatus.unused);
  return unused.find((voucher) => !voucherExpired(voucher, now)) ?? unused[0] ?? vouchers[0];
}

/**
 * The voucher a request names by `coupon_code_id` or `coupon_code`, as found among the caller's: it must
 * exist, be the one both fields name when both are sent, and belong to `coupon_id` when that is sent too.
 */
export function namedVoucher(terms: AcceptTerms, voucher: CouponCode | undefined): CouponCode {
  const { couponCode, couponCodeId, couponId } = terms;
  if (!voucher) throw new Refusal("voucher.not_found", { field: voucherField(terms) });
  if (couponCode && couponCodeId && voucher.code !== couponCode) throw new Refusal("voucher.mismatch");
  if (couponId && couponId !== voucher.coupon_id) throw new Refusal("voucher.other_coupon");
  return voucher;
}

/** A campaign coupon by `coupon_id`: one handed out only as vouchers is not there to be found (no probing). */
export function publicCoupon(coupon: Coupon | undefined): Coupon {
  if (coupon?.public !== Flag.yes) throw new Refusal("voucher.not_found", { field: "coupon_id" });
  return coupon;
}

export function assertCouponUsable({
  coupon,
  voucher,
  voucherField: field,
  usedByUser,
  goodsId,
  originAmount,
  now,
}: CouponContext): void {
  if (voucher) assertVoucherUsable(voucher, now, field);
  if (coupon.status !== CouponStatus.active) throw new Refusal("coupon.inactive");
  if (coupon.start_time > 0 && now < coupon.start_time) throw new Refusal("coupon.not_started");
  if (coupon.end_time > 0 && now > coupon.end_time) throw new Refusal("coupon.expired");
  if (coupon.type === "discount" && (coupon.percent < 1 || coupon.percent > 99)) {
    throw new Refusal("coupon.unusable");
  }
  if (coupon.goods_ids.length > 0 && !coupon.goods_ids.includes(goodsId)) {
    throw new Refusal("coupon.not_for_goods");
  }
  if (originAmount < coupon.min_amount) {
    throw new Refusal("coupon.min_amount", { min_amount: formatCents(coupon.min_amount) });
  }
  if (!voucher) {
    if (usedByUser) throw new Refusal("coupon.used_by_account");
    if (coupon.total > 0 && coupon.used >= coupon.total) throw new Refusal("coupon.sold_out");
    if (knownSoldOut(coupon)) throw new Refusal("coupon.sold_out"); // no ticket asked for: nothing written
  }
}

/** Cents the coupon takes off, never more than the order itself. */
export function couponDiscount(coupon: Coupon, originAmount: number): number {
  const discount =
    coupon.type === "discount" ? originAmount - percentOf(originAmount, coupon.percent) : coupon.amount;
  return Math.min(Math.max(discount, 0), originAmount);
}
