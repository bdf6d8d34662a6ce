// The accept's reads (rule 10, docs/accept.md): every read that needs only the token and the request goes
// out at once, the rest as soon as what they depend on arrives. Awaiting them is the use case's business,
// in the order of docs/accept.md's checks.
import { promoterIdOf } from "../domain/commissions.ts";
import { chooseVoucher, namedVoucher, publicCoupon, voucherField } from "../domain/coupons.ts";
import type { Coupon, CouponCode, Settings, User } from "../domain/entities.ts";
import { chooseQuotation, quotationNotFound } from "../domain/quotation.ts";
import type { AcceptTerms } from "../domain/terms.ts";
import { Refusal } from "../errors.ts";
import type { AcceptStore } from "./store.ts";

/** The coupon a request names, as read: a voucher (and its coupon), or a campaign coupon by id. */
export interface ChosenCoupon {
  coupon: Coupon;
  voucher?: CouponCode | undefined;
  /** How the request named the voucher: its refusals name that field. */
  voucherField?: string | undefined;
  /** Whether this user has already used this campaign coupon. */
  usedByUser: boolean;
}

export function startReads(
  store: AcceptStore,
  settings: () => Promise<Settings>,
  userId: number,
  terms: AcceptTerms,
  now: number,
) {
  const buyer = handled(store.readUser(userId));
  const settingsRead = handled(settings());
  // Without comm_order_id: the caller's quotations for the product, quoted or accepted.
  const live = terms.commOrderId ? undefined : handled(store.findLiveQuotations(userId, terms.goodsId ?? 0));
  const quotation = handled(
    live
      ? live.then((quotations) => chooseQuotation(quotations, terms.goodsId ?? 0))
      : store
          .readQuotation(userId, terms.commOrderId ?? 0)
          .then((found) => found ?? Promise.reject(quotationNotFound())),
  );
  const goods = handled(
    terms.goodsId ? store.readGoods(terms.goodsId) : quotation.then((q) => store.readGoods(q.archive_id)),
  );
  const addressId = terms.address?.id ?? 0;
  const savedAddress = handled(
    addressId > 0 ? store.readAddress(userId, addressId) : Promise.resolve(undefined),
  );
  return {
    buyer,
    settings: settingsRead,
    live,
    quotation,
    goods,
    savedAddress,
    coupon: startCouponReads(store, userId, terms, now),
    promoters: handled(promotersOf(store, buyer, settingsRead)),
  };
}

/** Starts the coupon reads with the first round; the function it returns resolves what they name. */
function startCouponReads(store: AcceptStore, userId: number, terms: AcceptTerms, now: number) {
  const { couponCode, couponCodeId, couponId } = terms;
  const voucherRead = couponCodeId
    ? handled(store.readVoucher(userId, couponCodeId))
    : couponCode
      ? handled(store.findVouchersByCode(userId, couponCode).then((vouchers) => chooseVoucher(vouchers, now)))
      : undefined;
  const campaignRead = couponId
    ? handled(Promise.all([store.readCoupon(couponId), store.hasCouponUse(couponId, userId)]))
    : undefined;

  return async (): Promise<ChosenCoupon | undefined> => {
    if (voucherRead) {
      const voucher = namedVoucher(terms, await voucherRead);
      const coupon = campaignRead ? (await campaignRead)[0] : await store.readCoupon(voucher.coupon_id);
      if (!coupon) throw new Refusal("coupon.not_found");
      return { coupon, voucher, voucherField: voucherField(terms), usedByUser: false };
    }
    if (!campaignRead) return undefined;
    const [coupon, usedByUser] = await campaignRead;
    return { coupon: publicCoupon(coupon), usedByUser };
  };
}

/** The promoter, their group and their parent: the one chain of dependent reads (rule 10, docs/accept.md). */
async function promotersOf(
  store: AcceptStore,
  buyerRead: Promise<User | undefined>,
  settingsRead: Promise<Settings>,
) {
  const [buyer, settings] = await Promise.all([buyerRead, settingsRead]);
  if (!buyer) return {};
  const promoterId = promoterIdOf(buyer, settings);
  if (promoterId <= 0) return {};
  const promoter = promoterId === buyer.id ? buyer : await store.readUser(promoterId);
  if (!promoter) return {};
  const [promoterGroup, promoterParent] = await Promise.all([
    promoter.group_id > 0 ? store.readUserGroup(promoter.group_id) : undefined,
    promoter.parent_id > 0 ? store.readUser(promoter.parent_id) : undefined,
  ]);
  return { promoter, promoterGroup, promoterParent };
}

/** Marks a promise as handled now, so that an early refusal never leaves a rejection unobserved. */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
