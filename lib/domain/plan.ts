// From an accept's decisions to the records its one transaction writes: ids and records, no I/O.
import type { UnitHold } from "./coupon-stock.ts";
import type { Address, Coupon } from "./entities.ts";
import { buildOrderRecords, type NewOrder, type OrderRecords } from "./order.ts";
import { orderIdOf } from "./order-number.ts";

/** Everything an accept decided before the write: the order, and what the transaction must find as read. */
export interface Acceptance {
  order: NewOrder;
  /** The quote as stored when the order was priced: the quotation's update applies only while it still is. */
  quotePrice: string;
  /** A campaign coupon redeemed by `coupon_id`: once per user, one ticket per use (coupon-stock.ts). */
  campaign?: Coupon | undefined;
  /** The request brought a new address: it is saved to the address book under an id of its own. */
  savesAddress: boolean;
}

/** The records and guards of one try of the transaction (lib/store/acceptance.ts writes it). */
export interface AcceptancePlan extends OrderRecords {
  /** A new address-book entry, when the request brought a new address. */
  newAddress?: Address | undefined;
  /** The quotation as it was priced: the update only applies if it is still exactly that. */
  quotation: { userId: number; id: number; quotePrice: string };
  voucher?: { userId: number; id: number } | undefined;
  /** A campaign coupon (no code): one use per user, and the unit its held ticket names. */
  campaignCoupon?: { couponId: number; userId: number; hold: UnitHold } | undefined;
}

export interface PlanIds {
  /** The order number's last four digits (lib/domain/order-number.ts). */
  suffix: number;
  /** The campaign coupon's ticket this accept holds. */
  hold?: UnitHold | undefined;
}

/**
 * The order's id comes from its second and the suffix (no counter); its one detail line, its one
 * snapshot and the one address-book entry it may save take the order's id, and its commissions the
 * id × 10 + 1, 2, 3: unique because order ids are (docs/data-model.md, "Ids").
 */
export function planAcceptance(acceptance: Acceptance, ids: PlanIds): AcceptancePlan {
  const { order, campaign } = acceptance;
  const orderId = orderIdOf(order.now, ids.suffix, order.settings.timezone);
  const { seller_amount, share_amount, share_parent_amount } = order.earnings;
  const commissionIds = [seller_amount, share_amount, share_parent_amount]
    .filter((amount) => amount > 0)
    .map((_, index) => orderId * 10 + index + 1);
  const records = buildOrderRecords(order, {
    order: orderId,
    detail: orderId,
    snapshot: order.address ? orderId : undefined,
    commissions: commissionIds,
  });
  const newAddress: Address | undefined =
    order.address && acceptance.savesAddress
      ? { id: orderId, user_id: order.userId, ...order.address, created_time: order.now }
      : undefined;
  return {
    ...records,
    newAddress,
    quotation: { userId: order.userId, id: order.commOrderId, quotePrice: acceptance.quotePrice },
    voucher: order.couponCodeId > 0 ? { userId: order.userId, id: order.couponCodeId } : undefined,
    campaignCoupon:
      campaign && ids.hold ? { couponId: campaign.id, userId: order.userId, hold: ids.hold } : undefined,
  };
}
