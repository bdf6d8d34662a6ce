// An accepted quotation answers the request that accepted it with its order, and any other with a -1
// (rule 8, docs/accept.md); a quotation that changed under our write says how.
import type { CommOrder } from "../domain/entities.ts";
import { sameRequest } from "../domain/fingerprint.ts";
import { type OrderView, orderView } from "../domain/order.ts";
import { assertQuotationOpen, quotationNotFound } from "../domain/quotation.ts";
import { QuotationStatus } from "../domain/statuses.ts";
import type { SentTerms } from "../domain/terms.ts";
import { Refusal } from "../errors.ts";
import type { AcceptStore } from "./store.ts";
import type { RequestTrace } from "./trace.ts";

/** An accepted quotation: the same request gets its order back; any other request is refused. */
export async function replay(
  store: AcceptStore,
  quotation: CommOrder,
  userId: number,
  sent: SentTerms,
  trace: RequestTrace,
): Promise<OrderView> {
  const stored = quotation.order_id ? await store.readOrder(quotation.order_id) : undefined;
  const line = stored?.details.length === 1 ? stored.details[0] : undefined;
  if (
    stored &&
    stored.order.user_id === userId &&
    sameRequest(
      { fingerprint: stored.order.accept_fingerprint, quantity: line?.quantity },
      sent,
      quotation.title,
    )
  ) {
    trace.replayed = true;
    return orderView(stored);
  }
  throw new Refusal("quotation.accepted_differently");
}

/**
 * The quotation changed between our read and our write (`current`, read again when not given): a twin
 * request's order is replayed; otherwise the refusal says how it changed.
 */
export async function explainQuotationChange(
  store: AcceptStore,
  priced: { userId: number; id: number; quotePrice: string },
  sent: SentTerms,
  trace: RequestTrace,
  now: number,
  read?: CommOrder | undefined,
): Promise<OrderView> {
  const current = read ?? (await store.readQuotation(priced.userId, priced.id));
  if (!current) throw quotationNotFound();
  if (current.status === QuotationStatus.accepted) return replay(store, current, priced.userId, sent, trace);
  if (current.status === QuotationStatus.quoted && current.quote_price !== priced.quotePrice) {
    throw new Refusal("quotation.price_changed");
  }
  assertQuotationOpen(current, now);
  throw new Refusal("quotation.changed");
}
