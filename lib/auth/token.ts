// AnqiCMS login tokens: HS256 JWTs signed with `<secret>-user-token`, claims `userId` and `t` (expiry,
// unix seconds), both decimal strings. They carry no `exp`, so jose checks signature and algorithm and
// the expiry check is ours.
import { jwtVerify, SignJWT } from "jose";

export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** A token this close to expiry is renewed on the response (as AnqiCMS does). */
export const RENEW_WITHIN_SECONDS = 60 * 60;

const encoder = new TextEncoder();
const signingKey = (secret: string) => encoder.encode(`${secret}-user-token`);
const DECIMAL = /^[0-9]{1,15}$/;
/** AnqiCMS tokens are about 150 characters; a cookie holds at most 4 KB. Longer is never verified. */
const MAX_TOKEN_LENGTH = 4096;
/** A compact JWS: three unpadded base64url parts (RFC 7515), nothing else. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface VerifiedToken {
  userId: number;
  expiresAt: number;
}

export async function signToken(secret: string, userId: number, expiresAt: number): Promise<string> {
  return new SignJWT({ userId: String(userId), t: String(expiresAt) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(signingKey(secret));
}

/** undefined for anything that is not a valid, unexpired token (`t` before `now`): "not logged in". */
export async function verifyToken(
  secret: string,
  token: string,
  now: number,
): Promise<VerifiedToken | undefined> {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return undefined;
  try {
    const { payload, protectedHeader } = await jwtVerify(token, signingKey(secret), {
      algorithms: ["HS256"],
      currentDate: new Date(now * 1000), // registered exp/nbf, when present, against the same clock as `t`
    });
    // AnqiCMS signs {alg, typ} only. A header naming keys or processing (kid, jku, jwk, x5u, crit, b64…)
    // is not one of its tokens (RFC 8725 §3.10): refused, never followed.
    if (Object.keys(protectedHeader).some((name) => name !== "alg" && name !== "typ")) return undefined;
    const { userId, t } = payload;
    if (typeof userId !== "string" || typeof t !== "string" || !DECIMAL.test(userId) || !DECIMAL.test(t)) {
      return undefined;
    }
    const verified = { userId: Number(userId), expiresAt: Number(t) };
    // Valid through the second `t` names, as AnqiCMS checks it (t >= now).
    return verified.userId > 0 && verified.expiresAt >= now ? verified : undefined;
  } catch {
    return undefined;
  }
}
