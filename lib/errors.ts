// The failures the envelope mapper (lib/http/envelope.ts) turns into AnqiCMS answers.
import { formatMessage, type MessageArgs, type MessageKey } from "./i18n/messages.ts";

export const Code = { ok: 0, error: -1, notLoggedIn: 1001, unauthorised: 1002 } as const;
export type RefusalCode = typeof Code.error | typeof Code.notLoggedIn | typeof Code.unauthorised;

/** The refusals answered with their own AnqiCMS code; every other message is code -1. */
const CODES: Partial<Record<MessageKey, RefusalCode>> = {
  "auth.not_logged_in": Code.notLoggedIn,
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
