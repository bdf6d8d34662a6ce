// When the handler must have answered: middy's early timeout, a margin before the Lambda's deadline.
import type { Context } from "aws-lambda";

/** Answer 503 ourselves this long before the Lambda's deadline, instead of being killed mid-flight. */
export const TIMEOUT_MARGIN_MS = 500;

/** Milliseconds until the handler must have answered: the early-timeout moment middy uses for itself. */
export function timeLeft(context: Context): number {
  if (typeof context.getRemainingTimeInMillis !== "function") return Number.POSITIVE_INFINITY;
  return Math.max(0, context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS);
}

/** Aborts when the handler must answer 503. */
export function requestDeadline(context: Context): AbortSignal | undefined {
  const left = timeLeft(context);
  return Number.isFinite(left) ? AbortSignal.timeout(left) : undefined;
}
