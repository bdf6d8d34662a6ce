// An accepted quotation answers the request that accepted it with its order, and any other with a -1
// (rule 8, docs/accept.md); a quotation that changed under our write says how.
import type { CommOrder } from "../domain/entities.ts";
import { sameRequest } from "../domain/fingerprint.ts";
import { type OrderView, orderView } from "../domain/order.ts";
import type { StoredOrder } from "../domain/order-records.ts";
import { assertQuotationOpen, quotationNotFound, recentlyAccepted } from "../domain/quotation.ts";
import { QuotationStatus } from "../domain/statuses.ts";
import type { SentTerms } from "../domain/terms.ts";
import { Refusal } from "../errors.ts";
import type { AcceptStore } from "./store.ts";
import type { RequestTrace } from "./trace.ts";

/** Whether this stored order was made for the caller by this same request. */
function madeBy(stored: StoredOrder | undefined, userId: number, sent: SentTerms, quotation: CommOrder) {
  const line = stored?.details.length === 1 ? stored.details[0] : undefined;
  const made = { fingerprint: stored?.order.accept_fingerprint ?? "", quantity: line?.quantity };
  return stored?.order.user_id === userId && sameRequest(made, sent, quotation.title);
}

const readOrderOf = (store: AcceptStore, quotation: CommOrder) =>
  quotation.order_id ? store.readOrder(quotation.order_id) : Promise.resolve(undefined);

/** An accepted quotation: the same request gets its order back; any other request is refused. */
export async function replay(
  store: AcceptStore,
  quotation: CommOrder,
  userId: number,
  sent: SentTerms,
  trace: RequestTrace,
): Promise<OrderView> {
  const stored = await readOrderOf(store, quotation);
  if (!stored || !madeBy(stored, userId, sent, quotation))
    throw new Refusal("quotation.accepted_differently");
  trace.replayed = true;
  return orderView(stored);
}

/**
 * A request by goods_id that made an order within the retry window (its answer lost) gets that order,
 * whatever was quoted or accepted for the product since; undefined when it made none.
 */
export async function replayRecent(
  store: AcceptStore,
  live: CommOrder[],
  userId: number,
  sent: SentTerms,
  now: number,
  trace: RequestTrace,
): Promise<OrderView | undefined> {
  const candidates = recentlyAccepted(live, now);
  const read = await Promise.all(
    candidates.map(async (quotation) => ({ quotation, stored: await readOrderOf(store, quotation) })),
  );
  const made = read.find(({ quotation, stored }) => madeBy(stored, userId, sent, quotation));
  if (!made?.stored) return undefined;
  trace.replayed = true;
  trace.quotationId = made.quotation.id;
  return orderView(made.stored);
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
