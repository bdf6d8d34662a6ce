// Who is calling: the AnqiCMS token from the `token` header (any case) or the `token` cookie.
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { SecretSource } from "../auth/secrets.ts";
import { RENEW_WITHIN_SECONDS, signToken, TOKEN_LIFETIME_SECONDS, verifyToken } from "../auth/token.ts";
import { notLoggedIn } from "../errors.ts";
import type { RequestContext } from "./context.ts";

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
  secrets: SecretSource;
  /**
   * Aborts when the request must give up. Middy's early timeout covers the handler, not `before`
   * middleware, so a secret fetch here is bounded by this signal instead.
   */
  deadline: (context: Context) => AbortSignal | undefined;
  now: () => number;
}): MiddlewareObj<TokenCarrier, unknown, Error, RequestContext> {
  return {
    name: "authenticate",
    before: async ({ event, context }) => {
      const token = tokenOf(event);
      if (!token) throw notLoggedIn();
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
