// The AnqiCMS token secret(s), per container. Locally a fixed TOKEN_SECRET; deployed, an SSM
// SecureString read on the first request and refreshed every few minutes.
//
// Rotation: the parameter holds one secret per line, the first is the one renewals are signed with, the
// others are still accepted (docs/operations.md, "Rotating the token secret").
//
// Failure rules: a fetch never outlives the request's own deadline (the caller's signal) nor a fixed
// budget; a failed refresh keeps the last good value; after a failure no new fetch is tried before a
// back-off delay, so a failing SSM does not see one call per request.
import { PlatformFault } from "../errors.ts";

export interface TokenSecrets {
  /** Signs renewed tokens. */
  signing: string;
  /** Verify tokens: the signing secret first, then the previous ones of a rotation. */
  accepted: readonly string[];
}

/** Gives the secrets; `deadline` is called only when a fetch is needed, for the request's abort signal. */
export type SecretSource = (deadline: () => AbortSignal | undefined) => Promise<TokenSecrets>;

/**
 * The shortest token secret accepted, in bytes. AnqiCMS makes its own 32 random characters long
 * (`config.GenerateRandString(32)`, at install and for each new site); a shorter one was chosen by hand,
 * and anyone holding one token it signed can try to guess it offline. Never under 16 bytes in any case.
 */
export const MIN_SECRET_BYTES = Math.max(32, 16);

/** Why `secret` (named `where` in the message) may not sign tokens, with the fix; undefined if it may. */
export function weakSecret(secret: string, where: string): string | undefined {
  const bytes = new TextEncoder().encode(secret).length;
  if (bytes >= MIN_SECRET_BYTES) return undefined;
  return (
    `${where} is ${bytes} bytes long, shorter than the ${MIN_SECRET_BYTES} AnqiCMS generates: use the ` +
    "AnqiCMS site's own token secret, or give the site and this service a new one (openssl rand -hex 32)"
  );
}

/** One secret per line, blank lines and surrounding spaces ignored; a weak line refuses the whole value. */
export function parseSecrets(value: string): TokenSecrets {
  const accepted = value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const [signing] = accepted;
  if (signing === undefined) throw new PlatformFault("the token secret parameter is empty");
  for (const [index, secret] of accepted.entries()) {
    const weak = weakSecret(secret, `the token secret parameter's secret ${index + 1}`);
    if (weak) throw new PlatformFault(weak);
  }
  return { signing, accepted };
}

/** TOKEN_SECRET: refused when weak, so that the container never starts with it. */
export function fixedSecrets(secret: string): SecretSource {
  const weak = weakSecret(secret, "TOKEN_SECRET");
  if (weak) throw new Error(weak);
  const secrets: TokenSecrets = { signing: secret, accepted: [secret] };
  return async () => secrets;
}

export interface RefreshOptions {
  /** How long a fetched value is used before it is fetched again (±10 % so containers spread out). */
  ttlMs: number;
  /** The longest a first fetch may take (the request's deadline may cut it shorter). */
  fetchTimeoutMs: number;
  /** The longest a request waits for a refresh when it could go on with the value it has. */
  refreshTimeoutMs: number;
  /** Back-off after a failure: first delay, doubled per failure in a row up to the last. */
  backoffMs: { first: number; max: number };
  clock?: () => number;
  random?: () => number;
  /** Told about each failed fetch (never the value). */
  onFailure?: (error: unknown, keptLastGood: boolean) => void;
}

export const DEFAULT_REFRESH: RefreshOptions = {
  ttlMs: 5 * 60_000,
  fetchTimeoutMs: 3_000,
  refreshTimeoutMs: 1_000,
  backoffMs: { first: 1_000, max: 60_000 },
};

export function refreshingSecrets(
  fetch: (signal: AbortSignal) => Promise<string>,
  options: RefreshOptions = DEFAULT_REFRESH,
): SecretSource {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  let good: { secrets: TokenSecrets; freshUntil: number } | undefined;
  let failures = 0;
  let retryAt = 0;
  let inFlight: Promise<TokenSecrets> | undefined;

  async function fetchOnce(signal: AbortSignal): Promise<TokenSecrets> {
    try {
      const secrets = parseSecrets(await fetch(signal));
      good = { secrets, freshUntil: clock() + options.ttlMs * (0.9 + 0.2 * random()) };
      failures = 0;
      return secrets;
    } catch (error) {
      failures += 1;
      const delay = Math.min(options.backoffMs.max, options.backoffMs.first * 2 ** (failures - 1));
      retryAt = clock() + delay * (0.5 + 0.5 * random());
      options.onFailure?.(error, good !== undefined);
      throw error;
    } finally {
      inFlight = undefined;
    }
  }

  return async (deadline) => {
    const now = clock();
    if (good && now < good.freshUntil) return good.secrets;
    if (now < retryAt) {
      if (good) return good.secrets;
      throw new PlatformFault("token secret unavailable (backing off after a failed fetch)");
    }
    const requestSignal = deadline();
    const budget = AbortSignal.timeout(good ? options.refreshTimeoutMs : options.fetchTimeoutMs);
    inFlight ??= fetchOnce(requestSignal ? AbortSignal.any([requestSignal, budget]) : budget);
    try {
      return await inFlight;
    } catch (error) {
      if (good) return good.secrets;
      throw new PlatformFault("token secret unavailable", { cause: error });
    }
  };
}
