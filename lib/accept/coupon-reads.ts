// Which coupon the request names (rule 6, docs/accept.md): a voucher by code or id, or a campaign coupon by id.
import { chooseVoucher } from "../domain/coupons.ts";
import type { Coupon, CouponCode } from "../domain/entities.ts";
import { Refusal } from "../errors.ts";
import type { Db } from "../store/db.ts";
import { findVouchersByCode, hasCouponUse, readCoupon, readVoucher } from "../store/reads.ts";
import type { AcceptRequest } from "./request.ts";

export interface ChosenCoupon {
  coupon: Coupon;
  voucher?: CouponCode | undefined;
  usedByUser: boolean;
}

/** Starts the coupon reads with the first round; `choose` resolves and checks what they name. */
export function startCouponReads(db: Db, userId: number, request: AcceptRequest, now: number) {
  const { couponCode, couponCodeId, couponId } = request;
  const voucherRead = couponCodeId
    ? readVoucher(db, userId, couponCodeId)
    : couponCode
      ? findVouchersByCode(db, userId, couponCode).then((vouchers) => chooseVoucher(vouchers, now))
      : undefined;
  const campaignRead = couponId
    ? Promise.all([readCoupon(db, couponId), hasCouponUse(db, couponId, userId)])
    : undefined;
  voucherRead?.catch(() => {});
  campaignRead?.catch(() => {});

  async function choose(): Promise<ChosenCoupon | undefined> {
    if (voucherRead) {
      const voucher = await voucherRead;
      if (!voucher)
        throw new Refusal("voucher.not_found", { field: couponCodeId ? "coupon_code_id" : "coupon_code" });
      if (couponCode && couponCodeId && voucher.code !== couponCode) {
        throw new Refusal("voucher.mismatch");
      }
      if (couponId && couponId !== voucher.coupon_id) {
        throw new Refusal("voucher.other_coupon");
      }
      const coupon = campaignRead ? (await campaignRead)[0] : await readCoupon(db, voucher.coupon_id);
      if (!coupon) throw new Refusal("coupon.not_found");
      return { coupon, voucher, usedByUser: false };
    }
    if (campaignRead) {
      const [coupon, usedByUser] = await campaignRead;
      // A coupon handed out only as vouchers is not there to be found by id (no probing, no leak).
      if (coupon?.public !== 1) throw new Refusal("voucher.not_found", { field: "coupon_id" });
      return { coupon, usedByUser };
    }
    return undefined;
  }

  return { choose };
}
