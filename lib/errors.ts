// The failures the envelope mapper (lib/http/envelope.ts) turns into AnqiCMS answers.

export const Code = { ok: 0, error: -1, notLoggedIn: 1001, unauthorised: 1002 } as const;
export type RefusalCode = typeof Code.error | typeof Code.notLoggedIn | typeof Code.unauthorised;

/** A contract outcome: HTTP 200 with a non-zero code and a message meant for the customer. */
export class Refusal extends Error {
  override name = "Refusal";
  readonly code: RefusalCode;
  constructor(message: string, code: RefusalCode = Code.error) {
    super(message);
    this.code = code;
  }
}

export const notLoggedIn = () => new Refusal("not logged in", Code.notLoggedIn);
export const unauthorised = () => new Refusal("this account may not place orders", Code.unauthorised);

/** The platform failed (DynamoDB unavailable, throttled past retries, out of time): HTTP 503, retry later. */
export class PlatformFault extends Error {
  override name = "PlatformFault";
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
  }
}

export const RETRY_LATER = "the service is busy, please try again shortly";
