// Which quotation a request accepts, may it be accepted, and at what price (rule 4, docs/accept.md).
import { Refusal } from "../errors.ts";
import type { CommOrder } from "./entities.ts";
import { parsePriceToCents } from "./money.ts";
import { QuotationStatus } from "./statuses.ts";

export const quotationNotFound = () => new Refusal("quotation.not_found");

/**
 * Without comm_order_id: of the caller's quotations for the product that are quoted or accepted, the one
 * awaiting acceptance; with none awaiting, the latest accepted, so that an identical retry replays its order.
 */
export function chooseQuotation(live: CommOrder[], goodsId: number): CommOrder {
  const quoted = live.filter((quotation) => quotation.status === QuotationStatus.quoted);
  if (quoted.length > 1) throw new Refusal("quotation.several_for_goods");
  const [latest] = quoted.length > 0 ? quoted : live.toSorted((a, b) => b.accepted_time - a.accepted_time);
  if (!latest) throw new Refusal("quotation.none_for_goods", { goods_id: goodsId });
  return latest;
}

/**
 * How long a request by goods_id finds the order it already made (its answer lost), whatever the merchant
 * quoted or the customer accepted since: DynamoDB's own idempotency window (rule 8, docs/accept.md).
 */
export const RETRY_WINDOW_SECONDS = 10 * 60;
/** At most this many recent acceptances are compared with a retry: each costs a read of its order. */
export const RETRY_CANDIDATES = 3;

/** The quotations an identical retry by goods_id may have accepted: within the window, newest first. */
export function recentlyAccepted(live: CommOrder[], now: number): CommOrder[] {
  return live
    .filter((q) => q.status === QuotationStatus.accepted && q.accepted_time >= now - RETRY_WINDOW_SECONDS)
    .toSorted((a, b) => b.accepted_time - a.accepted_time)
    .slice(0, RETRY_CANDIDATES);
}

/** A request naming both a quotation and a product must name the quotation's own product. */
export function assertGoodsOfQuotation(goodsId: number | undefined, quotation: CommOrder): void {
  if (goodsId !== undefined && goodsId !== quotation.archive_id) throw new Refusal("goods.not_of_quotation");
}

/** Every check but "already accepted", which the caller turns into an idempotent replay. */
export function assertQuotationOpen(quotation: CommOrder, now: number): void {
  switch (quotation.status) {
    case QuotationStatus.quoted:
      break;
    case QuotationStatus.pending:
    case QuotationStatus.communicating:
      throw new Refusal("quotation.not_quoted");
    case QuotationStatus.accepted:
      throw new Refusal("quotation.already_accepted");
    default:
      throw new Refusal("quotation.closed");
  }
  if (quotation.quote_expire_time > 0 && quotation.quote_expire_time < now) {
    throw new Refusal("quotation.expired");
  }
}

/** The quote in cents: a positive decimal with at most 2 places. */
export function quotePriceCents(quotation: CommOrder): number {
  const cents = parsePriceToCents(quotation.quote_price);
  if (cents === undefined || cents <= 0) throw new Refusal("quotation.no_valid_price");
  return cents;
}
