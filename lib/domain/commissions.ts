// Who earns what on an order (AnqiCMS rules, integer cents, floor division).
import type { Settings, User, UserGroup } from "./entities.ts";
import { percentOf } from "./money.ts";
import { UserStatus } from "./statuses.ts";

export const COMMISSION_TYPES = ["seller", "share", "share_parent"] as const;
export type CommissionType = (typeof COMMISSION_TYPES)[number];

export interface Earnings {
  share_user_id: number;
  share_amount: number;
  share_parent_user_id: number;
  share_parent_amount: number;
  seller_id: number;
  seller_amount: number;
}

/** Whether the buyer earns on their own purchase: settings allow_self, and the buyer may retail. */
function earnsOnOwnPurchase(buyer: User, settings: Settings): boolean {
  return settings.allow_self === 1 && (settings.become_retailer === 1 || buyer.is_retailer === 1);
}

/** The buyer's promoter: their referrer, or themselves when self-purchase earns (allow_self). */
export function promoterIdOf(buyer: User, settings: Settings): number {
  return earnsOnOwnPurchase(buyer, settings) ? buyer.id : buyer.parent_id;
}

export interface EarningsInput {
  /** What the customer pays, after the coupon. */
  amount: number;
  settings: Settings;
  sellerId: number;
  /** Loops in the referral data never pay the buyer, except as their own promoter under allow_self. */
  buyer: User;
  promoter?: User | undefined;
  /** The promoter's member group, whose setting holds the reward percents. */
  promoterGroup?: UserGroup | undefined;
  promoterParent?: User | undefined;
}

/**
 * Rule 7 (docs/accept.md). Shares are taken in order, each from what is left: promoter, then parent (at most
 * amount − share), then the seller on the rest; no amount is ever negative. Nobody earns twice, and the
 * buyer earns only as their own promoter under allow_self (a parent_id loop pays them nothing). A promoter
 * or parent who is not active (status 1: banned, awaiting review) earns nothing; their share stays in
 * what the seller's percent is taken from.
 */
export function computeEarnings(input: EarningsInput): Earnings {
  const { amount, settings, buyer, promoter, promoterGroup, promoterParent } = input;
  const anyoneRetails = settings.become_retailer === 1;
  const shareReward = promoterGroup?.setting.share_reward ?? 0;
  const parentReward = promoterGroup?.setting.parent_reward ?? 0;

  const promoterEarns =
    promoter !== undefined &&
    (promoter.id !== buyer.id || earnsOnOwnPurchase(buyer, settings)) &&
    promoter.status === UserStatus.active &&
    (anyoneRetails || promoter.is_retailer === 1) &&
    shareReward > 0;
  const share_amount = promoterEarns ? Math.min(percentOf(amount, shareReward), amount) : 0;

  const parentEarns =
    promoter !== undefined &&
    promoter.parent_id > 0 &&
    promoterParent?.id === promoter.parent_id &&
    promoterParent.id !== buyer.id &&
    promoterParent.id !== promoter.id &&
    promoterParent.status === UserStatus.active &&
    parentReward > 0 &&
    (anyoneRetails || promoterParent.is_retailer === 1);
  const share_parent_amount = parentEarns
    ? Math.min(percentOf(amount, parentReward), amount - share_amount)
    : 0;

  const sellerEarns = input.sellerId > 0 && settings.seller_percent > 0;
  const seller_amount = sellerEarns
    ? percentOf(Math.max(amount - share_amount - share_parent_amount, 0), settings.seller_percent)
    : 0;

  return {
    share_user_id: share_amount > 0 && promoter ? promoter.id : 0,
    share_amount,
    share_parent_user_id: share_parent_amount > 0 && promoterParent ? promoterParent.id : 0,
    share_parent_amount,
    seller_id: input.sellerId,
    seller_amount,
  };
}

export interface CommissionLine {
  type: CommissionType;
  user_id: number;
  amount: number;
}

/** One commission record per earner with a positive amount. */
export function commissionLines(earnings: Earnings): CommissionLine[] {
  const lines: CommissionLine[] = [
    { type: "seller", user_id: earnings.seller_id, amount: earnings.seller_amount },
    { type: "share", user_id: earnings.share_user_id, amount: earnings.share_amount },
    { type: "share_parent", user_id: earnings.share_parent_user_id, amount: earnings.share_parent_amount },
  ];
  return lines.filter((line) => line.amount > 0 && line.user_id > 0);
}
