// The use case: a logged-in customer accepts a quotation and gets an order awaiting payment. It starts
// the reads, applies the rules of lib/domain in the order of docs/accept.md's checks, and hands what it
// decided to the write loop (lib/accept/commit.ts).
import { resolveAddress } from "../domain/address.ts";
import { assertBuyer } from "../domain/buyer.ts";
import { computeEarnings } from "../domain/commissions.ts";
import { assertCouponUsable, voucherField } from "../domain/coupons.ts";
import type { Settings } from "../domain/entities.ts";
import { acceptFingerprint } from "../domain/fingerprint.ts";
import { orderable } from "../domain/goods.ts";
import type { OrderView } from "../domain/order.ts";
import type { Acceptance } from "../domain/plan.ts";
import { orderAmounts, originAmount } from "../domain/pricing.ts";
import { assertGoodsOfQuotation, assertQuotationOpen, quotePriceCents } from "../domain/quotation.ts";
import { QuotationStatus } from "../domain/statuses.ts";
import type { AcceptTerms, SentTerms } from "../domain/terms.ts";
import { Refusal } from "../errors.ts";
import { type CommitDeps, commit, VoucherChanged } from "./commit.ts";
import { startReads } from "./reads.ts";
import { replay, replayRecent } from "./replay.ts";

export interface AcceptDeps extends CommitDeps {
  /** This request's Settings (read at most once per request, cached per container). */
  settings: () => Promise<Settings>;
  /** Unix seconds. */
  now: () => number;
}

/** Whole accepts one request may make: another request spending its voucher meanwhile sends it back. */
const VOUCHER_ROUNDS = 3;

export async function acceptQuotation(
  terms: AcceptTerms,
  userId: number,
  deps: AcceptDeps,
): Promise<OrderView> {
  for (let round = 1; ; round++) {
    try {
      return await decideAndCommit(terms, userId, deps);
    } catch (error) {
      if (!(error instanceof VoucherChanged)) throw error;
      // Read again: another unused voucher with the code is taken, or the refusal says what became of it.
      if (round >= VOUCHER_ROUNDS) throw new Refusal("voucher.used", { field: voucherField(terms) });
    }
  }
}

async function decideAndCommit(terms: AcceptTerms, userId: number, deps: AcceptDeps): Promise<OrderView> {
  const { store, trace } = deps;
  const now = deps.now();
  const reads = startReads(store, deps.settings, userId, terms, now);

  // Rule 2: who is calling.
  const buyer = await reads.buyer;
  assertBuyer(buyer);
  trace.buyerActive = true; // from here on, answers may carry the renewed token

  // Rule 8: a request by goods_id that already made an order (its answer lost) gets it back, whatever
  // was quoted since.
  if (reads.live) {
    const sent = { ...terms, goodsId: terms.goodsId ?? 0 };
    const made = await replayRecent(store, await reads.live, userId, sent, now, trace);
    if (made) return made;
  }

  // Rule 4: which quotation; an accepted one replays (rule 8); may it be accepted, at what price.
  const quotation = await reads.quotation;
  trace.quotationId = quotation.id;
  assertGoodsOfQuotation(terms.goodsId, quotation);
  const sent: SentTerms = { ...terms, goodsId: quotation.archive_id };
  if (quotation.status === QuotationStatus.accepted) return replay(store, quotation, userId, sent, trace);
  assertQuotationOpen(quotation, now);
  const unitPrice = quotePriceCents(quotation);
  const { goods, cataloguePrice } = orderable(await reads.goods, terms.skuId);

  // Rule 5: the address snapshot; rule 6: the coupon; rule 7: amounts and commissions.
  const origin = originAmount(unitPrice, terms.quantity);
  const address = terms.address ? resolveAddress(terms.address, await reads.savedAddress) : undefined;
  const coupon = await reads.coupon();
  if (coupon) assertCouponUsable({ ...coupon, goodsId: goods.id, originAmount: origin, now });
  const amounts = orderAmounts(unitPrice, terms.quantity, coupon?.coupon);
  const settings = await reads.settings;
  const earnings = computeEarnings({
    amount: amounts.amount,
    settings,
    sellerId: goods.user_id,
    buyer,
    ...(await reads.promoters),
  });

  // Rule 8: one transaction, exactly once.
  const campaign = coupon && !coupon.voucher ? coupon.coupon : undefined;
  const acceptance: Acceptance = {
    order: {
      now,
      settings,
      userId,
      commOrderId: quotation.id,
      goodsId: goods.id,
      skuId: terms.skuId,
      cataloguePrice,
      unitPrice,
      quantity: terms.quantity,
      amounts,
      earnings,
      address,
      remark: terms.remark ?? quotation.title,
      couponCodeId: coupon?.voucher?.id ?? 0,
      couponId: coupon?.coupon.id ?? 0,
      fingerprint: acceptFingerprint(sent), // a replay compares its own way (sameRequest)
    },
    quotePrice: quotation.quote_price,
    campaign,
    savesAddress: terms.address !== undefined && (terms.address.id ?? 0) === 0,
  };
  return commit(acceptance, sent, deps);
}
