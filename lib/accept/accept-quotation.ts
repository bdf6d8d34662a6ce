// The use case: a logged-in customer accepts a quotation and gets an order awaiting payment.
import { setTimeout as sleep } from "node:timers/promises";
import { type AddressFields, resolveAddress } from "../domain/address.ts";
import { computeEarnings, type Earnings, promoterIdOf } from "../domain/commissions.ts";
import { pickUnit } from "../domain/coupon-units.ts";
import { assertCouponUsable } from "../domain/coupons.ts";
import type { Address, CommOrder, Settings, User } from "../domain/entities.ts";
import { acceptFingerprint, type FingerprintParts, sameRequest } from "../domain/fingerprint.ts";
import { buildOrderRecords, type OrderView, orderView } from "../domain/order.ts";
import { orderIdOf, type SuffixSequence } from "../domain/order-number.ts";
import { orderAmounts, originAmount } from "../domain/pricing.ts";
import {
  assertQuotationOpen,
  QuotationStatus,
  quotationNotFound,
  quotePriceCents,
} from "../domain/quotation.ts";
import { notLoggedIn, PlatformFault, Refusal, unauthorised } from "../errors.ts";
import { AcceptanceCancelled, type AcceptancePlan, writeAcceptance } from "../store/acceptance.ts";
import { takenUnits } from "../store/coupon-stock.ts";
import type { Db } from "../store/db.ts";
import type { IdPool } from "../store/ids.ts";
import {
  findLiveQuotations,
  readAddress,
  readGoods,
  readOrder,
  readQuotation,
  readUser,
  readUserGroup,
} from "../store/reads.ts";
import { type ChosenCoupon, startCouponReads } from "./coupon-reads.ts";
import type { AcceptRequest } from "./request.ts";
import type { RequestTrace } from "./trace.ts";

export interface AcceptDeps {
  db: Db;
  ids: IdPool;
  settings: () => Promise<Settings>;
  /** Unix seconds. */
  now: () => number;
  /** Filled in as the request goes, for its log line and metrics. */
  trace: RequestTrace;
  /** This container's order-number suffixes. */
  suffixes: SuffixSequence;
  /** Picks coupon units (tests make it predictable); Math.random by default. */
  random?: () => number;
}

export async function acceptQuotation(
  request: AcceptRequest,
  userId: number,
  deps: AcceptDeps,
): Promise<OrderView> {
  const { db } = deps;
  const { trace } = deps;
  const now = deps.now();

  // Every read that needs only the token and the request goes out at once (rule 10, docs/accept.md); the rest
  // follow as soon as what they depend on arrives. Checks below still run in the order of docs/accept.md.
  const buyerRead = handled(readUser(db, userId));
  const settingsRead = handled(deps.settings());
  const quotationRead = handled(findQuotation(db, userId, request));
  const goodsRead = handled(
    request.goodsId ? readGoods(db, request.goodsId) : quotationRead.then((q) => readGoods(db, q.archive_id)),
  );
  const addressId = request.address?.id ?? 0;
  const savedAddressRead = handled(
    addressId > 0 ? readAddress(db, userId, addressId) : Promise.resolve(undefined),
  );
  const couponReads = startCouponReads(db, userId, request, now);
  const promoterReads = handled(startPromoterReads(db, buyerRead, settingsRead));
  // Only a new address-book entry takes an id from a counter (order ids need none: planAcceptance).
  const idsReady = handled(
    request.address && addressId === 0 ? deps.ids.prepare(db, { address: 1 }) : Promise.resolve(),
  );

  const buyer = await buyerRead;
  if (!buyer) throw notLoggedIn();
  if (buyer.status !== 1) throw unauthorised();

  const quotation = await quotationRead;
  trace.quotationId = quotation.id;
  if (request.goodsId !== undefined && request.goodsId !== quotation.archive_id) {
    throw new Refusal("goods.not_of_quotation");
  }
  const remark = request.remark ?? quotation.title;
  const sent: FingerprintParts = { ...request, goodsId: quotation.archive_id };
  if (quotation.status === QuotationStatus.accepted) return replay(db, quotation, userId, sent, trace);
  const fingerprint = acceptFingerprint(sent); // a replay compares its own way (sameRequest)
  assertQuotationOpen(quotation, now);
  const unitPrice = quotePriceCents(quotation);

  const goods = await goodsRead;
  if (goods?.status !== 1) throw new Refusal("goods.unavailable");
  const sku = request.skuId > 0 ? goods.skus.find((candidate) => candidate.id === request.skuId) : undefined;
  if (request.skuId > 0 && !sku) throw new Refusal("goods.sku_not_of_goods");

  const origin = originAmount(unitPrice, request.quantity);
  const address = request.address ? resolveAddress(request.address, await savedAddressRead) : undefined;
  const coupon = await couponReads.choose();
  if (coupon) {
    assertCouponUsable({ ...coupon, goodsId: goods.id, originAmount: origin, now });
  }
  const amounts = orderAmounts(unitPrice, request.quantity, coupon?.coupon);
  const settings = await settingsRead;
  const earnings = computeEarnings({
    amount: amounts.amount,
    settings,
    sellerId: goods.user_id,
    buyer,
    ...(await promoterReads),
  });
  await idsReady;

  const decided = {
    userId,
    settings,
    now,
    quotation,
    goodsId: goods.id,
    skuId: request.skuId,
    cataloguePrice: sku?.price ?? goods.price,
    unitPrice,
    quantity: request.quantity,
    amounts,
    earnings,
    address,
    newAddress: request.address && addressId === 0,
    remark,
    coupon,
    fingerprint,
  };

  return writeWithRetries(deps, decided, sent);
}

/** Transient cancellations (conflicts, throttled items) are retried this many times, with jitter. */
const WRITE_RETRIES = 3;
/** Every try of the transaction, whatever cancelled the last: order-number clashes, units sold meanwhile. */
const MAX_TRIES = 12;
/** A retry is only worth its backoff when this much time is left after it for the write itself. */
const WRITE_RESERVE_MS = 300;

/** Exponential backoff with jitter, 25 ms doubling, ×1–2, at most 250 ms; never past the deadline. */
async function backoff(retry: number, db: Db, cause: unknown): Promise<void> {
  const delay = Math.min(25 * 2 ** retry * (1 + Math.random()), 250);
  if (db.deadline !== undefined && Date.now() + delay + WRITE_RESERVE_MS > db.deadline) {
    throw new PlatformFault("acceptance kept conflicting, out of time", { cause });
  }
  await sleep(delay, undefined, db.signal ? { signal: db.signal } : undefined);
}

/**
 * Sends the transaction until it commits or a cancellation has a final answer. A limited coupon's unit
 * is picked at random among those not known to be sold; when its unit was sold meanwhile, the sold units
 * are read and another is picked, until none is left (sold out).
 */
async function writeWithRetries(
  deps: AcceptDeps,
  decided: Decided,
  sent: FingerprintParts,
): Promise<OrderView> {
  const { db, trace } = deps;
  const random = deps.random ?? Math.random;
  const campaign = decided.coupon && !decided.coupon.voucher ? decided.coupon.coupon : undefined;
  const limited = campaign !== undefined && campaign.total > 0 ? campaign : undefined;
  let taken = new Set<number>();
  const held = new Set<number>(); // units another transaction held when ours conflicted
  const nextUnit = () => {
    if (!limited) return undefined;
    const unit = pickUnit(limited, taken, held, random);
    if (unit === undefined) throw new Refusal("coupon.sold_out");
    return unit;
  };
  let unit = nextUnit();
  let plan = await planAcceptance(deps, decided, unit);
  let transientRetries = 0;
  for (let tries = 1; ; tries++) {
    try {
      trace.transactionAttempts += 1;
      await writeAcceptance(db, plan);
      return writtenOrder(plan);
    } catch (error) {
      if (!(error instanceof AcceptanceCancelled)) return reconcile(db, plan, error);
      if (error.failed.includes("quotation")) return explainQuotationChange(db, plan, sent, trace);
      if (error.failed.includes("voucher")) throw new Refusal("voucher.used");
      if (error.failed.includes("coupon_use")) throw new Refusal("coupon.used_by_account");
      if (tries >= MAX_TRIES || (error.transient && transientRetries >= WRITE_RETRIES)) {
        throw new PlatformFault("acceptance kept being cancelled", { cause: error });
      }
      if (error.transient) {
        await backoff(transientRetries++, db, error);
        if (error.conflicted.includes("quotation")) {
          // A twin request (or the merchant) held the quotation: if it changed, that decides the answer.
          const current = await readQuotation(db, plan.quotation.userId, plan.quotation.id);
          if (
            current?.status !== QuotationStatus.quoted ||
            current.quote_price !== plan.quotation.quotePrice
          ) {
            return explainQuotationChange(db, plan, sent, trace, current);
          }
        }
        if (error.conflicted.includes("coupon") && unit !== undefined) {
          held.add(unit);
          unit = nextUnit();
          plan = withUnit(plan, unit);
        }
        continue;
      }
      if (error.failed.includes("order") || error.failed.includes("address")) {
        deps.suffixes.jump(); // another container's run of numbers: leave it
        plan = await planAcceptance(deps, decided, unit); // fresh ids, hence a fresh order number
        continue;
      }
      if (error.failed.includes("coupon") && limited) {
        taken = await takenUnits(db, limited.id);
        unit = nextUnit();
        plan = withUnit(plan, unit);
        continue;
      }
      throw new Refusal("order.not_placed");
    }
  }
}

const withUnit = (plan: AcceptancePlan, unit: number | undefined): AcceptancePlan =>
  plan.campaignCoupon ? { ...plan, campaignCoupon: { ...plan.campaignCoupon, unit } } : plan;

interface Decided {
  userId: number;
  settings: Settings;
  now: number;
  quotation: CommOrder;
  goodsId: number;
  skuId: number;
  cataloguePrice: number;
  unitPrice: number;
  quantity: number;
  amounts: ReturnType<typeof orderAmounts>;
  earnings: Earnings;
  address: AddressFields | undefined;
  newAddress: boolean | undefined;
  remark: string;
  coupon: ChosenCoupon | undefined;
  fingerprint: string;
}

/** Ids: the order's from its second and the container's next suffix (no counter); the rest from it. */
async function planAcceptance(
  deps: AcceptDeps,
  d: Decided,
  unit: number | undefined,
): Promise<AcceptancePlan> {
  const { db, ids } = deps;
  const orderId = orderIdOf(d.now, deps.suffixes.take(), d.settings.timezone);
  const earners = [d.earnings.seller_amount, d.earnings.share_amount, d.earnings.share_parent_amount];
  // One detail line and at most one snapshot per order: they take the order's id; commissions are
  // numbered after it (× 10 + 1, 2, 3). Unique because order ids are.
  const commissionIds = earners.filter((amount) => amount > 0).map((_, index) => orderId * 10 + index + 1);
  const addressId = d.newAddress ? await ids.take(db, "address") : undefined;
  const records = buildOrderRecords({
    ...d,
    ids: {
      order: orderId,
      detail: orderId,
      snapshot: d.address ? orderId : undefined,
      commissions: commissionIds,
    },
    commOrderId: d.quotation.id,
    couponCodeId: d.coupon?.voucher?.id ?? 0,
    couponId: d.coupon?.coupon.id ?? 0,
  });
  const newAddress: Address | undefined =
    d.address && addressId
      ? { id: addressId, user_id: d.userId, ...d.address, created_time: d.now }
      : undefined;
  return {
    ...records,
    newAddress,
    quotation: { userId: d.userId, id: d.quotation.id, quotePrice: d.quotation.quote_price },
    voucher: d.coupon?.voucher ? { userId: d.userId, id: d.coupon.voucher.id } : undefined,
    campaignCoupon:
      d.coupon && !d.coupon.voucher ? { couponId: d.coupon.coupon.id, userId: d.userId, unit } : undefined,
  };
}

async function findQuotation(db: Db, userId: number, request: AcceptRequest): Promise<CommOrder> {
  if (request.commOrderId) {
    const quotation = await readQuotation(db, userId, request.commOrderId);
    if (!quotation) throw quotationNotFound();
    return quotation;
  }
  const goodsId = request.goodsId ?? 0;
  const live = await findLiveQuotations(db, userId, goodsId);
  const quoted = live.filter((quotation) => quotation.status === QuotationStatus.quoted);
  if (quoted.length > 1) throw new Refusal("quotation.several_for_goods");
  // Nothing awaits: the latest accepted one, so that an identical retry replays its order.
  const [latest] = quoted.length > 0 ? quoted : live.sort((a, b) => b.accepted_time - a.accepted_time);
  if (!latest) throw new Refusal("quotation.none_for_goods", { goods_id: goodsId });
  return latest;
}

/** The promoter, their group and their parent: the one chain of dependent reads (rule 10, docs/accept.md). */
async function startPromoterReads(
  db: Db,
  buyerRead: Promise<User | undefined>,
  settingsRead: Promise<Settings>,
) {
  const [buyer, settings] = await Promise.all([buyerRead, settingsRead]);
  if (!buyer) return {};
  const promoterId = promoterIdOf(buyer, settings);
  if (promoterId <= 0) return {};
  const promoter = promoterId === buyer.id ? buyer : await readUser(db, promoterId);
  if (!promoter) return {};
  const [promoterGroup, promoterParent] = await Promise.all([
    promoter.group_id > 0 ? readUserGroup(db, promoter.group_id) : undefined,
    promoter.parent_id > 0 ? readUser(db, promoter.parent_id) : undefined,
  ]);
  return { promoter, promoterGroup, promoterParent };
}

/** An accepted quotation: the same request gets its order back; any other request is refused. */
async function replay(
  db: Db,
  quotation: CommOrder,
  userId: number,
  sent: FingerprintParts,
  trace: RequestTrace,
): Promise<OrderView> {
  const stored = quotation.order_id ? await readOrder(db, quotation.order_id) : undefined;
  if (
    stored &&
    stored.order.user_id === userId &&
    sameRequest(
      {
        fingerprint: stored.order.accept_fingerprint,
        quantity: stored.details.length === 1 ? stored.details[0]?.quantity : undefined,
      },
      sent,
      quotation.title,
    )
  ) {
    trace.replayed = true;
    return orderView(stored);
  }
  throw new Refusal("quotation.accepted_differently");
}

/** The quotation changed between our read and our write: say how, or replay a concurrent twin. */
async function explainQuotationChange(
  db: Db,
  plan: AcceptancePlan,
  sent: FingerprintParts,
  trace: RequestTrace,
  read?: CommOrder | undefined,
): Promise<OrderView> {
  const current = read ?? (await readQuotation(db, plan.quotation.userId, plan.quotation.id));
  if (!current) throw quotationNotFound();
  if (current.status === QuotationStatus.accepted)
    return replay(db, current, plan.quotation.userId, sent, trace);
  if (current.status === QuotationStatus.quoted && current.quote_price !== plan.quotation.quotePrice) {
    throw new Refusal("quotation.price_changed");
  }
  assertQuotationOpen(current, plan.order.created_time);
  throw new Refusal("quotation.changed");
}

/**
 * The write failed without a verdict (network, timeout): it may have committed. If the quotation now
 * names our order, it did; otherwise it is a platform fault the customer may retry.
 */
async function reconcile(db: Db, plan: AcceptancePlan, error: unknown): Promise<OrderView> {
  if (error instanceof Refusal || db.signal?.aborted) throw error;
  const quotation = await readQuotation(db, plan.quotation.userId, plan.quotation.id).catch(() => undefined);
  if (quotation?.order_id === plan.order.order_id) {
    return writtenOrder(plan);
  }
  throw new PlatformFault("the acceptance could not be written", { cause: error });
}

/** The answer for an order this request wrote: built from the plan, with no read back. */
function writtenOrder(plan: AcceptancePlan): OrderView {
  return orderView({ order: plan.order, details: [plan.detail], address: plan.snapshot });
}

/** Marks a promise as handled now, so that an early refusal never leaves a rejection unobserved. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
