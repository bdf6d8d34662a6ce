// What the accept use case needs from storage, as interfaces: the DynamoDB adapter implements them
// (lib/store/accept-store.ts), tests an in-memory one, and the layers above depend on these alone.

import type { Exhausted, TicketRange, UnitHold } from "../domain/coupon-stock.ts";
import type {
  Address,
  CommOrder,
  Coupon,
  CouponCode,
  Goods,
  Settings,
  User,
  UserGroup,
} from "../domain/entities.ts";
import type { StoredOrder } from "../domain/order-records.ts";
import type { AcceptancePlan } from "../domain/plan.ts";

/** Reads are strongly consistent; an item that fails its schema throws DataFault, never a refusal. */
export interface AcceptStore {
  readUser(id: number): Promise<User | undefined>;
  readUserGroup(id: number): Promise<UserGroup | undefined>;
  readGoods(id: number): Promise<Goods | undefined>;
  readCoupon(id: number): Promise<Coupon | undefined>;
  /** The caller's own items: another user's id finds nothing. */
  readAddress(userId: number, id: number): Promise<Address | undefined>;
  readQuotation(userId: number, id: number): Promise<CommOrder | undefined>;
  readVoucher(userId: number, id: number): Promise<CouponCode | undefined>;
  /**
   * The caller's quotations for a product that are quoted or accepted: at least what rule 4's choice
   * needs (lib/domain/quotation.ts), i.e. the quoted ones (two or more when there are several) and the
   * newest accepted ones (at least the RETRY_CANDIDATES newest: a retry by goods_id compares itself with
   * them). The DynamoDB store returns just that, a bounded read (docs/data-model.md).
   */
  findLiveQuotations(userId: number, goodsId: number): Promise<CommOrder[]>;
  /** The caller's vouchers with this code, in the order of their keys. */
  findVouchersByCode(userId: number, code: string): Promise<CouponCode[]>;
  hasCouponUse(couponId: number, userId: number): Promise<boolean>;
  readOrder(orderNumber: string): Promise<StoredOrder | undefined>;
  /**
   * The campaign coupon's next ticket (its unit), only while fewer than `cap` were taken when given;
   * else the counter as it stood. One conditional update, whatever the campaign's size.
   */
  takeTicket(couponId: number, cap: number | undefined, now: number): Promise<TicketTaken>;
  /** Holds a ticket just taken, over a hold for nobody (adoptLost); false if someone else holds it. */
  holdUnit(hold: UnitHold): Promise<boolean>;
  /** Of these tickets, those neither held nor sold (strongly consistent; holds read before units). */
  findUnheld(couponId: number, range: TicketRange): Promise<number[]>;
  /** Holds a ticket for nobody (`holder` ""), if it has no hold: a hole once `until` passes. */
  adoptLost(hold: UnitHold): Promise<void>;
  /** Deletes this holder's hold: its unit turned out to be sold already. */
  dropHold(hold: UnitHold): Promise<void>;
  /** Gives a hold back (until 0) if it is still this holder's. */
  releaseHold(hold: UnitHold): Promise<void>;
  /** At most HOLDS_READ of the coupon's holds (lib/domain/coupon-stock.ts): a read that cannot grow. */
  readHolds(couponId: number): Promise<UnitHold[]>;
  /** Takes a hold over from `was` if it is still exactly that: false when someone else was first. */
  reletHold(was: UnitHold, to: UnitHold): Promise<boolean>;
  /** Flags the coupon sold out at its total and used as read, unless it changed meanwhile. */
  markSoldOut(coupon: Coupon): Promise<void>;
  /**
   * The acceptance's one transaction. A cancellation throws AcceptanceCancelled (lib/errors.ts); any
   * other failure (network, timeout) leaves it unknown whether it committed.
   */
  writeAcceptance(plan: AcceptancePlan): Promise<void>;
}

/** A ticket (its unit number), or none left: the counter as it stood. */
export type TicketTaken =
  | { unit: number; exhausted?: undefined }
  | { unit?: undefined; exhausted: Exhausted };

/** The site's Settings, cached per container (lib/store/settings.ts). */
export interface SettingsLoader {
  (): Promise<Settings>;
  /**
   * The Settings this container read within the TTL, without any I/O; undefined before the first read
   * and once the last one is older than the TTL (an hours-old read must not outlive a change of site).
   */
  fresh(): Settings | undefined;
}
