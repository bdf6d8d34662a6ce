// May this quotation be accepted, and at what price.
import { Refusal } from "../errors.ts";
import type { CommOrder } from "./entities.ts";
import { parsePriceToCents } from "./money.ts";

export const QuotationStatus = {
  pending: 0,
  communicating: 1,
  quoted: 2,
  accepted: 3,
  rejected: 4,
  cancelled: -1,
};

export const quotationNotFound = () => new Refusal("quotation.not_found");

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
