// Who is calling: the AnqiCMS token from the `token` header (any case) or the `token` cookie.
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { RENEW_WITHIN_SECONDS, signToken, TOKEN_LIFETIME_SECONDS, verifyToken } from "../auth/token.ts";
import { notLoggedIn } from "../errors.ts";

export interface AuthContext extends Context {
  userId: number;
  /** A fresh token when the caller's expires within the hour; the envelope sends it as `update-token`. */
  renewedToken?: string;
  /** Set by @middy/ssm when the secret lives in Parameter Store. */
  tokenSecret?: string;
}

type TokenCarrier = Pick<APIGatewayProxyEventV2, "headers" | "cookies">;

function tokenOf(event: TokenCarrier): string | undefined {
  const header = event.headers?.token?.trim();
  if (header) return header;
  const cookies = event.cookies ?? event.headers?.cookie?.split(";") ?? [];
  for (const cookie of cookies) {
    const [name, ...value] = cookie.trim().split("=");
    if (name === "token" && value.length > 0) return percentDecoded(value.join("="));
  }
  return undefined;
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
  secret: string | undefined;
  now: () => number;
}): MiddlewareObj<TokenCarrier, unknown, Error, AuthContext> {
  return {
    name: "authenticate",
    before: async ({ event, context }) => {
      const secret = options.secret ?? context.tokenSecret;
      if (!secret) throw new Error("no token secret configured");
      const token = tokenOf(event);
      const now = options.now();
      const verified = token ? await verifyToken(secret, token, now) : undefined;
      if (!verified) throw notLoggedIn();
      context.userId = verified.userId;
      if (verified.expiresAt - now < RENEW_WITHIN_SECONDS) {
        context.renewedToken = await signToken(secret, verified.userId, now + TOKEN_LIFETIME_SECONDS);
      }
    },
  };
}
