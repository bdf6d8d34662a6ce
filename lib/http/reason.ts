// A stable, low-cardinality key for why a request did not get its order, for logs and dashboards.
import { Refusal } from "../errors.ts";
import { DataFault } from "../store/db.ts";

/**
 * For a refusal, its message with numbers folded to `n` (`no quotation awaits you for goods_id n`
 * becomes `no_quotation_awaits_you_for_goods_id_n`): messages never carry customer text, only field
 * names and numbers, so the key is safe to log and stays one per kind of refusal. Anything else is a
 * platform fault, or a data fault when a stored item failed validation.
 */
export function reasonOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  if (error instanceof Refusal) {
    return (
      error.message
        .toLowerCase()
        .replace(/\d+/g, "n")
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "") || "refused"
    );
  }
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
