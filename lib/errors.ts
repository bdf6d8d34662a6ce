// The failures the envelope mapper (lib/http/envelope.ts) turns into AnqiCMS answers. Every layer may
// import them: the store throws DataFault, the http layer reads it, and neither imports the other.
import { formatMessage, type MessageArgs, type MessageKey } from "./i18n/messages.ts";

export const Code = { ok: 0, error: -1, notLoggedIn: 1001, unauthorised: 1002 } as const;
export type RefusalCode = typeof Code.error | typeof Code.notLoggedIn | typeof Code.unauthorised;

/** The refusals answered with their own AnqiCMS code; every other message is code -1. */
const CODES: Partial<Record<MessageKey, RefusalCode>> = {
  "auth.not_logged_in": Code.notLoggedIn,
  "auth.cross_site": Code.notLoggedIn,
  "auth.not_allowed": Code.unauthorised,
};

/**
 * A contract outcome: HTTP 200 with a non-zero code and a message for the customer. It carries a
 * catalogue key and its parameters, never text: the envelope writes it in the answer's language.
 * `message` is the English text, for logs and stack traces only.
 */
export class Refusal<K extends MessageKey = MessageKey> extends Error {
  override name = "Refusal";
  readonly key: K;
  readonly params: Readonly<Record<string, string | number>>;
  readonly code: RefusalCode;
  constructor(key: K, ...[params]: MessageArgs<K>) {
    super(formatMessage("en-US", key, params));
    this.key = key;
    this.params = params ?? {};
    this.code = CODES[key] ?? Code.error;
  }
}

export const notLoggedIn = () => new Refusal("auth.not_logged_in");
export const unauthorised = () => new Refusal("auth.not_allowed");

/** The platform failed (DynamoDB unavailable, throttled past retries, out of time): HTTP 503, retry later. */
export class PlatformFault extends Error {
  override name = "PlatformFault";
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

/**
 * A stored item failed validation. It names the item's key, the attribute path and the kind of fault
 * (the check that failed: `string`, `max_length`...), never the offending value: a stored value may be a phone number or an address.
 */
export class DataFault extends PlatformFault {
  override name = "DataFault";
  readonly entity: string;
  readonly path: string;
  readonly kind: string;
  constructor(entity: string, key: string, path: string, kind: string) {
    super(`stored ${entity} ${key} is malformed: ${path} (${kind})`);
    this.entity = entity;
    this.path = path;
    this.kind = kind;
  }
}

/** The writes of an acceptance (lib/store/acceptance.ts), as its cancellation names them. */
export type WriteKind =
  | "order"
  | "detail"
  | "snapshot"
  | "address"
  | "commission"
  | "quotation"
  | "voucher"
  | "coupon"
  | "hold"
  | "coupon_use";

/**
 * The acceptance's transaction was cancelled: which writes' conditions failed, and whether it was only
 * transient (another transaction held an item, or an item was throttled), so that trying again may
 * succeed, and on which writes' items. The store throws it; the use case decides what it means.
 */
export class AcceptanceCancelled extends Error {
  override name = "AcceptanceCancelled";
  readonly failed: WriteKind[];
  readonly transient: boolean;
  readonly conflicted: WriteKind[];
  constructor(failed: WriteKind[], transient: boolean, conflicted: WriteKind[] = []) {
    super(transient ? "transaction cancelled transiently" : `conditions failed: ${failed.join(", ")}`);
    this.failed = failed;
    this.transient = transient;
    this.conflicted = conflicted;
  }
}
