// The one context the accept chain's middlewares and its handler share (lib/app/accept-handler.ts),
// filled in as a request passes the middlewares' `before`s, in the chain's order.
import type { Context } from "aws-lambda";
import type { RequestTrace } from "../accept/trace.ts";
import type { Settings } from "../domain/entities.ts";
import type { AcceptTerms } from "../domain/terms.ts";

/** As the handler sees it: every `before` has run. */
export interface RequestContext extends Context {
  /** Set by observe, first: what the request did, for its log line and metrics. */
  trace: RequestTrace;
  /**
   * Set by envelope: this request's Settings, read at most once. The use case and the envelope's choice
   * of language share the one read (the container cache may hold them for less than a request).
   */
  settings: () => Promise<Settings>;
  /** Set by authenticate once the token is verified. */
  userId: number;
  /**
   * Set by authenticate when the caller's token expires within the hour; sent as `update-token` only once
   * the use case has found the caller's user active (`trace.buyerActive`).
   */
  renewedToken?: string;
  /** Set by validateBody: the validated, typed request. */
  input: AcceptTerms;
}

/**
 * As a middleware sees it that also runs after an earlier one failed (observe, envelope): a field whose
 * middleware has not run yet is missing.
 */
export type ContextSoFar = Context & Partial<RequestContext>;
