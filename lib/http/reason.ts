// A stable, low-cardinality key for why a request did not get its order, for logs and dashboards.
import { DataFault, Refusal } from "../errors.ts";

/**
 * For a refusal, its catalogue key (`quotation.none_for_goods`): one per kind of refusal, never the
 * customer's text or the message's parameters. Anything else is a platform fault, or a data fault when
 * a stored item failed validation.
 */
export function reasonOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (error instanceof Refusal) return error.key;
  return dataFaultIn(error) ? "data_fault" : "platform_fault";
}

/** The data fault behind a platform fault, also when it is the cause of another (a failed write's). */
export function dataFaultIn(error: unknown): DataFault | undefined {
  for (let depth = 0; error instanceof Error && depth < 5; depth++) {
    if (error instanceof DataFault) return error;
    error = error.cause;
  }
  return undefined;
}
