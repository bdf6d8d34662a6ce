// What one request did, beyond its answer, for its log line and metrics (lib/http/observe.ts).
// Ids and counts only: nothing here may hold a token or personal data.

export interface RequestTrace {
  /**
   * The caller's user was read and is active (status 1): only then is a renewed token sent, so that a
   * ban or a deletion ends a session (docs/accept.md, "update-token").
   */
  buyerActive?: boolean | undefined;
  /** The quotation the request was about, once found. */
  quotationId?: number | undefined;
  /** The order number answered with (written now, or replayed). */
  orderNumber?: string | undefined;
  /** The answer is an order an earlier identical request wrote. */
  replayed: boolean;
  /** TransactWriteItems sent by the use case (each retry after a conflict or clash is one more). */
  transactionAttempts: number;
}

export const newTrace = (): RequestTrace => ({ replayed: false, transactionAttempts: 0 });
