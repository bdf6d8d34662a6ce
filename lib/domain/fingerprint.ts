// What makes two accept requests "the same request" (rule 8, docs/accept.md): an identical re-accept replays the order.
// Judged on what the customer sent, normalised: values rule 3 (docs/accept.md) treats as absent (null, "", 0 meaning none)
// equal absence, in the address too. Nothing the quotation holds (its title, the default remark) enters,
// so a byte-identical retry replays whatever the merchant edited since.
import { createHash } from "node:crypto";
import { ADDRESS_FIELDS } from "./address.ts";
import type { SentTerms } from "./terms.ts";

/** The current format's prefix; fingerprints without it were stored by the first format (see legacy). */
const VERSION = "v2:";

const hash = (canonical: unknown) =>
  createHash("sha256").update(JSON.stringify(canonical)).digest("base64url");

export function acceptFingerprint(parts: SentTerms): string {
  // A fixed-order array, so the hash never depends on key order; absent, null, "" and 0 all read as null.
  const canonical = [
    parts.goodsId,
    parts.quantity,
    parts.skuId || null,
    parts.remark || null,
    parts.couponCode || null,
    parts.couponCodeId || null,
    parts.couponId || null,
    parts.address
      ? [parts.address.id || null, ...ADDRESS_FIELDS.map((field) => parts.address?.[field] || null)]
      : null,
  ];
  return VERSION + hash(canonical);
}

/**
 * The first format, still on orders stored before the current one: the remark after its default (the
 * quotation's title, as it is now) and the address fields as sent, `""` apart from absent.
 */
function legacyFingerprint(parts: SentTerms, quotationTitle: string): string {
  return hash([
    parts.goodsId,
    parts.quantity,
    parts.skuId,
    parts.remark ?? quotationTitle,
    parts.couponCode ?? "",
    parts.couponCodeId ?? 0,
    parts.couponId ?? 0,
    parts.address
      ? [parts.address.id ?? 0, ...ADDRESS_FIELDS.map((field) => parts.address?.[field] ?? null)]
      : null,
  ]);
}

/** What an accepted quotation's stored order says of the request that made it. */
export interface StoredRequest {
  /** The order's `accept_fingerprint`: "" on an order made before this service (none was stored). */
  fingerprint: string;
  /** The quantity of its one order line; undefined when it has not exactly one. */
  quantity: number | undefined;
}

/**
 * Whether a request is the one an order was stored for, whichever format its fingerprint has. An order
 * without one can only be matched on what it records: the caller has already found it through the
 * quotation the request names, so the same quantity replays and anything else is another request.
 */
export function sameRequest(stored: StoredRequest, parts: SentTerms, quotationTitle: string): boolean {
  const { fingerprint } = stored;
  if (fingerprint === "") return stored.quantity === parts.quantity;
  return fingerprint.startsWith(VERSION)
    ? fingerprint === acceptFingerprint(parts)
    : fingerprint === legacyFingerprint(parts, quotationTitle);
}
