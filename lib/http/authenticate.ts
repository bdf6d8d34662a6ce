// Who is calling: the AnqiCMS token from the `token` header (any case) or the `token` cookie.
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { SecretSource } from "../auth/secrets.ts";
import { RENEW_WITHIN_SECONDS, signToken, TOKEN_LIFETIME_SECONDS, verifyToken } from "../auth/token.ts";
import { notLoggedIn, Refusal } from "../errors.ts";
import type { RequestContext } from "./context.ts";

type TokenCarrier = Pick<APIGatewayProxyEventV2, "headers" | "cookies">;

/** The token a request carries, and where: the header wins over the cookie. */
function tokenOf(event: TokenCarrier): { token: string; from: "header" | "cookie" } | undefined {
  const header = event.headers?.token?.trim();
  if (header) return { token: header, from: "header" };
  const cookies = event.cookies ?? event.headers?.cookie?.split(";") ?? [];
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split("=");
    if (name === "token" && value.length > 0)
      return { token: percentDecoded(value.join("=")), from: "cookie" };
  }
  return undefined;
}

/**
 * Whether a request carrying its token in a cookie shows it comes from the shop's own pages. A browser
 * sends the cookie with any site's form too, and a `text/plain` form POST needs no CORS preflight, so
 * the cookie alone proves nothing (cross-site request forgery). Proof is any of: `Sec-Fetch-Site`
 * `same-origin` or `same-site` (set by the browser, never by a page), an `Origin` among the stage's
 * CORS origins, or `Content-Type: application/json`, which a page on another origin can send only after a
 * preflight that CORS admits for those same origins. A header token needs none: a page cannot make
 * a browser send one without that preflight. docs/accept.md, "Where the token is read".
 */
export function sameSiteProof(
  headers: Record<string, string | undefined> | undefined,
  allowedOrigins: readonly string[],
): boolean {
  const fetchSite = headers?.["sec-fetch-site"]?.trim().toLowerCase();
  if (fetchSite === "same-origin" || fetchSite === "same-site") return true;
  const origin = headers?.origin?.trim();
  if (origin && allowedOrigins.includes(origin)) return true;
  const mediaType = headers?.["content-type"]?.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/** A cookie value that is not valid %-encoding (`token=%`) is a malformed token: "" reads as none. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return "";
  }
}

export function authenticate(options: {
  secrets: SecretSource;
  /**
   * Aborts when the request must give up. Middy's early timeout covers the handler, not `before`
   * middleware, so a secret fetch here is bounded by this signal instead.
   */
  deadline: (context: Context) => AbortSignal | undefined;
  now: () => number;
  /** The stage's CORS origins (ALLOWED_ORIGINS): an `Origin` among them proves a cookie's request. */
  allowedOrigins: readonly string[];
}): MiddlewareObj<TokenCarrier, unknown, Error, RequestContext> {
  return {
    name: "authenticate",
    before: async ({ event, context }) => {
      const carried = tokenOf(event);
      if (!carried) throw notLoggedIn();
      // Before any secret or HMAC: a forged cross-site request costs nothing and learns nothing.
      if (carried.from === "cookie" && !sameSiteProof(event.headers, options.allowedOrigins)) {
        throw new Refusal("auth.cross_site");
      }
      const { token } = carried;
      const secrets = await options.secrets(() => options.deadline(context));
      const now = options.now();
      let verified: Awaited<ReturnType<typeof verifyToken>>;
      for (const secret of secrets.accepted) {
        verified = await verifyToken(secret, token, now);
        if (verified) break;
      }
      if (!verified) throw notLoggedIn();
      context.userId = verified.userId;
      if (verified.expiresAt - now < RENEW_WITHIN_SECONDS) {
        context.renewedToken = await signToken(
          secrets.signing,
          verified.userId,
          now + TOKEN_LIFETIME_SECONDS,
        );
      }
    },
  };
}
