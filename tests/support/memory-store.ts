// An in-memory implementation of the accept's store interface (lib/accept/store.ts), for unit tests of
// the use case without Java. Its transaction applies the same conditions as lib/store/acceptance.ts,
// all or nothing; a test scripts what happens to the next writes (a cancellation, a lost answer, a
// change made by someone else meanwhile). tests/*.test.ts cover the same paths on DynamoDB Local.
import * as v from "valibot";
import type { AcceptStore, TicketTaken } from "../../lib/accept/store.ts";
import { HOLDS_READ, type TicketRange, type UnitHold } from "../../lib/domain/coupon-stock.ts";
import * as E from "../../lib/domain/entities.ts";
import type { StoredOrder } from "../../lib/domain/order-records.ts";
import type { AcceptancePlan } from "../../lib/domain/plan.ts";
import { QuotationStatus, VoucherStatus } from "../../lib/domain/statuses.ts";
import { AcceptanceCancelled, type WriteKind } from "../../lib/errors.ts";

export interface World {
  users?: v.InferInput<typeof E.UserSchema>[];
  user_groups?: v.InferInput<typeof E.UserGroupSchema>[];
  goods?: v.InferInput<typeof E.GoodsSchema>[];
  comm_orders?: v.InferInput<typeof E.CommOrderSchema>[];
  addresses?: v.InferInput<typeof E.AddressSchema>[];
  coupons?: v.InferInput<typeof E.CouponSchema>[];
  coupon_codes?: v.InferInput<typeof E.CouponCodeSchema>[];
}

/** What happens to one call of writeAcceptance, in turn; with none left, it writes as DynamoDB would. */
export interface WriteStep {
  /** Someone else changes the data first; then the transaction is judged as usual (or as below). */
  meanwhile?: (plan: AcceptancePlan, store: MemoryStore) => void;
  /** Cancelled transiently: another transaction held these items (TransactionConflict). */
  conflictOn?: WriteKind[];
  /** Cancelled: these writes' conditions failed, whatever the data says. */
  cancelledOn?: WriteKind[];
  /** No verdict at all (network, timeout): nothing written. */
  fails?: Error;
  /** Written, but the answer is lost on the way back. */
  commitsThenFails?: Error;
}

const by = (...parts: (string | number)[]) => parts.join("/");

export class MemoryStore implements AcceptStore {
  readonly users = new Map<number, E.User>();
  readonly groups = new Map<number, E.UserGroup>();
  readonly goods = new Map<number, E.Goods>();
  readonly coupons = new Map<number, E.Coupon>();
  readonly quotations = new Map<string, E.CommOrder>();
  readonly addresses = new Map<string, E.Address>();
  readonly vouchers = new Map<string, E.CouponCode>();
  readonly couponUses = new Set<string>();
  readonly units = new Map<number, Set<number>>();
  /** Each campaign coupon's ticket counter, and the tickets held (by coupon and unit). */
  readonly tickets = new Map<number, { issued: number; takenTime: number }>();
  readonly holds = new Map<string, UnitHold>();
  /** Holds to fail (after the ticket was taken): the request ends between the two writes. */
  holdFailures = 0;
  /** Every call that wrote the counter, the holds or the Coupon, by name: what a sold-out answer costs. */
  readonly stockCalls: string[] = [];
  readonly orders = new Map<string, StoredOrder>();
  /** Every plan sent to writeAcceptance, committed or not. */
  readonly attempts: AcceptancePlan[] = [];
  readonly steps: WriteStep[] = [];

  constructor(world: World) {
    for (const user of world.users ?? []) this.putUser(v.parse(E.UserSchema, user));
    for (const group of world.user_groups ?? []) this.groups.set(group.id, v.parse(E.UserGroupSchema, group));
    for (const goods of world.goods ?? []) this.goods.set(goods.id, v.parse(E.GoodsSchema, goods));
    for (const coupon of world.coupons ?? []) this.coupons.set(coupon.id, v.parse(E.CouponSchema, coupon));
    for (const q of world.comm_orders ?? []) this.putQuotation(v.parse(E.CommOrderSchema, q));
    for (const a of world.addresses ?? [])
      this.addresses.set(by(a.user_id, a.id), v.parse(E.AddressSchema, a));
    for (const c of world.coupon_codes ?? []) this.putVoucher(v.parse(E.CouponCodeSchema, c));
  }

  putUser(user: E.User) {
    this.users.set(user.id, user);
  }
  putQuotation(quotation: E.CommOrder) {
    this.quotations.set(by(quotation.user_id, quotation.id), quotation);
  }
  putVoucher(voucher: E.CouponCode) {
    this.vouchers.set(by(voucher.user_id, voucher.id), voucher);
  }
  /** The merchant quotes a new quotation (attributes as stored, defaults applied). */
  addQuotation(quotation: v.InferInput<typeof E.CommOrderSchema>) {
    this.putQuotation(v.parse(E.CommOrderSchema, quotation));
  }
  /** Someone else (the merchant, an admin) changes a quotation. */
  editQuotation(userId: number, id: number, changes: Partial<E.CommOrder>) {
    const quotation = this.quotation(userId, id);
    if (quotation) this.putQuotation({ ...quotation, ...changes });
  }
  editVoucher(userId: number, id: number, changes: Partial<E.CouponCode>) {
    const voucher = this.vouchers.get(by(userId, id));
    if (voucher) this.putVoucher({ ...voucher, ...changes });
  }
  quotation(userId: number, id: number): E.CommOrder | undefined {
    return this.quotations.get(by(userId, id));
  }
  unitsOf(couponId: number): Set<number> {
    const units = this.units.get(couponId) ?? new Set<number>();
    this.units.set(couponId, units);
    return units;
  }

  readUser = async (id: number) => this.users.get(id);
  readUserGroup = async (id: number) => this.groups.get(id);
  readGoods = async (id: number) => this.goods.get(id);
  readCoupon = async (id: number) => this.coupons.get(id);
  readAddress = async (userId: number, id: number) => this.addresses.get(by(userId, id));
  readQuotation = async (userId: number, id: number) => this.quotation(userId, id);
  readVoucher = async (userId: number, id: number) => this.vouchers.get(by(userId, id));
  findLiveQuotations = async (userId: number, goodsId: number) =>
    [...this.quotations.values()].filter(
      (q) =>
        q.user_id === userId &&
        q.archive_id === goodsId &&
        (q.status === QuotationStatus.quoted || q.status === QuotationStatus.accepted),
    );
  findVouchersByCode = async (userId: number, code: string) =>
    [...this.vouchers.values()].filter((voucher) => voucher.user_id === userId && voucher.code === code);
  hasCouponUse = async (couponId: number, userId: number) => this.couponUses.has(by(couponId, userId));
  readOrder = async (orderNumber: string) => this.orders.get(orderNumber);

  takeTicket = async (couponId: number, cap: number | undefined, now: number): Promise<TicketTaken> => {
    this.stockCalls.push("takeTicket");
    const counter = this.tickets.get(couponId) ?? { issued: 0, takenTime: 0 };
    if (cap !== undefined && counter.issued >= cap) return { exhausted: { ...counter } };
    this.tickets.set(couponId, { issued: counter.issued + 1, takenTime: now });
    return { unit: counter.issued + 1 };
  };
  holdUnit = async (hold: UnitHold) => {
    this.stockCalls.push("holdUnit");
    if (this.holdFailures > 0) {
      this.holdFailures -= 1;
      throw new Error("the request ended before its hold was written");
    }
    const held = this.holds.get(by(hold.couponId, hold.unit));
    if (held && held.holder !== "") return false;
    this.holds.set(by(hold.couponId, hold.unit), { ...hold });
    return true;
  };
  findUnheld = async (couponId: number, [first, last]: TicketRange) =>
    Array.from({ length: last - first + 1 }, (_, i) => first + i).filter(
      (unit) => !this.holds.has(by(couponId, unit)) && !this.unitsOf(couponId).has(unit),
    );
  adoptLost = async (hold: UnitHold) => {
    this.stockCalls.push("adoptLost");
    if (this.holds.has(by(hold.couponId, hold.unit))) return;
    this.holds.set(by(hold.couponId, hold.unit), { ...hold });
    if (this.unitsOf(hold.couponId).has(hold.unit)) await this.dropHold(hold); // sold just before
  };
  dropHold = async (hold: UnitHold) => {
    this.stockCalls.push("dropHold");
    if (this.holds.get(by(hold.couponId, hold.unit))?.holder === hold.holder) {
      this.holds.delete(by(hold.couponId, hold.unit));
    }
  };
  releaseHold = async (hold: UnitHold) => {
    this.stockCalls.push("releaseHold");
    const held = this.holds.get(by(hold.couponId, hold.unit));
    if (held?.holder === hold.holder) held.until = 0;
  };
  readHolds = async (couponId: number) =>
    [...this.holds.values()]
      .filter((hold) => hold.couponId === couponId)
      .sort((a, b) => a.unit - b.unit)
      .slice(0, HOLDS_READ)
      .map((hold) => ({ ...hold }));
  reletHold = async (was: UnitHold, to: UnitHold) => {
    this.stockCalls.push("reletHold");
    const held = this.holds.get(by(was.couponId, was.unit));
    if (held?.holder !== was.holder || held.until !== was.until) return false;
    this.holds.set(by(to.couponId, to.unit), { ...to });
    return true;
  };
  markSoldOut = async (coupon: E.Coupon) => {
    this.stockCalls.push("markSoldOut");
    const current = this.coupons.get(coupon.id);
    if (current?.total !== coupon.total || current.used !== coupon.used) return;
    this.coupons.set(coupon.id, { ...current, sold_out_total: coupon.total, sold_out_used: coupon.used });
  };

  async writeAcceptance(plan: AcceptancePlan): Promise<void> {
    this.attempts.push(plan);
    const step = this.steps.shift() ?? {};
    step.meanwhile?.(plan, this);
    if (step.conflictOn) throw new AcceptanceCancelled([], true, step.conflictOn);
    if (step.cancelledOn) throw new AcceptanceCancelled(step.cancelledOn, false);
    if (step.fails) throw step.fails;
    const failed = this.#failedConditions(plan);
    if (failed.length > 0) throw new AcceptanceCancelled(failed, false);
    this.commit(plan);
    if (step.commitsThenFails) throw step.commitsThenFails;
  }

  /** The transaction's conditions (lib/store/acceptance.ts), in its order of writes. */
  #failedConditions(plan: AcceptancePlan): WriteKind[] {
    const failed: WriteKind[] = [];
    if (this.orders.has(plan.order.order_id)) failed.push("order");
    const { newAddress, quotation: priced, voucher, campaignCoupon } = plan;
    if (newAddress && this.addresses.has(by(newAddress.user_id, newAddress.id))) failed.push("address");
    const quotation = this.quotation(priced.userId, priced.id);
    if (
      quotation?.status !== QuotationStatus.quoted ||
      quotation.user_id !== priced.userId ||
      quotation.quote_price !== priced.quotePrice
    ) {
      failed.push("quotation");
    }
    if (voucher && this.vouchers.get(by(voucher.userId, voucher.id))?.status !== VoucherStatus.unused) {
      failed.push("voucher");
    }
    if (campaignCoupon && this.unitsOf(campaignCoupon.couponId).has(campaignCoupon.hold.unit)) {
      failed.push("coupon");
    }
    const { hold } = campaignCoupon ?? {};
    if (hold && this.holds.get(by(hold.couponId, hold.unit))?.holder !== hold.holder) failed.push("hold");
    if (campaignCoupon && this.couponUses.has(by(campaignCoupon.couponId, campaignCoupon.userId))) {
      failed.push("coupon_use");
    }
    return failed;
  }

  /** Writes a plan as a committed transaction would (a twin request's, in tests). */
  commit(plan: AcceptancePlan): void {
    const { order, detail, snapshot, newAddress, quotation: priced, voucher, campaignCoupon } = plan;
    this.orders.set(order.order_id, { order, details: [detail], address: snapshot });
    if (newAddress) this.addresses.set(by(newAddress.user_id, newAddress.id), newAddress);
    const quotation = this.quotation(priced.userId, priced.id);
    if (quotation) {
      const accepted = {
        status: QuotationStatus.accepted,
        order_id: order.order_id,
        accepted_time: order.created_time,
      };
      this.putQuotation({ ...quotation, ...accepted, updated_time: order.created_time });
    }
    const spent = voucher && this.vouchers.get(by(voucher.userId, voucher.id));
    if (spent) {
      this.putVoucher({
        ...spent,
        status: VoucherStatus.used,
        used_order_id: order.order_id,
        used_time: order.created_time,
      });
    }
    if (campaignCoupon) {
      this.couponUses.add(by(campaignCoupon.couponId, campaignCoupon.userId));
      this.unitsOf(campaignCoupon.couponId).add(campaignCoupon.hold.unit);
      this.holds.delete(by(campaignCoupon.couponId, campaignCoupon.hold.unit));
    }
  }
}
