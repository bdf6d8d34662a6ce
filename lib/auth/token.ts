// AnqiCMS login tokens: HS256 JWTs signed with `<secret>-user-token`, claims `userId` and `t` (expiry,
// unix seconds), both decimal strings. They carry no `exp`, so the expiry check on `t` is ours.
//
// HS256 only, done with node:crypto: one algorithm needs neither a JOSE library's 17 KB in the bundle
// nor its key import per call. The rules a JOSE library applies to such a token are kept: the header
// must name HS256 (so `none` and every other algorithm fail), no `crit` extensions, every part strict
// base64url, the signature compared in constant time against the canonical encoding, and registered
// `exp`/`nbf` claims honoured when present.
import { createHmac, timingSafeEqual } from "node:crypto";

export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** A token this close to expiry is renewed on the response (as AnqiCMS does). */
export const RENEW_WITHIN_SECONDS = 60 * 60;

const DECIMAL = /^[0-9]{1,15}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

const signature = (secret: string, signingInput: string) =>
  createHmac("sha256", `${secret}-user-token`).update(signingInput).digest("base64url");

export interface VerifiedToken {
  userId: number;
  expiresAt: number;
}

export async function signToken(secret: string, userId: number, expiresAt: number): Promise<string> {
  const payload = Buffer.from(JSON.stringify({ userId: String(userId), t: String(expiresAt) })).toString(
    "base64url",
  );
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${signature(secret, signingInput)}`;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function signatureMatches(secret: string, signingInput: string, given: string): boolean {
  const expected = Buffer.from(signature(secret, signingInput));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** undefined for anything that is not a valid, unexpired token: the caller answers "not logged in". */
export async function verifyToken(
  secret: string,
  token: string,
  now: number,
): Promise<VerifiedToken | undefined> {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (header?.alg !== "HS256" || "crit" in header) return undefined;
  if (!signatureMatches(secret, `${headerPart}.${payloadPart}`, signaturePart)) return undefined;
  const payload = decodeJson(payloadPart);
  if (!payload) return undefined;
  const { userId, t, exp, nbf } = payload;
  if (exp !== undefined && !(typeof exp === "number" && exp > now)) return undefined;
  if (nbf !== undefined && !(typeof nbf === "number" && nbf <= now)) return undefined;
  if (typeof userId !== "string" || typeof t !== "string" || !DECIMAL.test(userId) || !DECIMAL.test(t)) {
    return undefined;
  }
  const verified = { userId: Number(userId), expiresAt: Number(t) };
  return verified.userId > 0 && verified.expiresAt > now ? verified : undefined;
}
