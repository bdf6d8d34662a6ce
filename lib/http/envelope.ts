// The one place that shapes every answer: the AnqiCMS envelope {code, msg, data}. Contract outcomes
// are HTTP 200 (AnqiCMS clients read `code`); platform faults are 503 with a retry message. Nothing
// internal (stack, AWS error text) ever reaches the client. Messages are written here, in the answer's
// language (lib/i18n/language.ts), which the answer names in Content-Language.
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyResultV2, Context } from "aws-lambda";
import type { SettingsLoader } from "../accept/store.ts";
import type { Settings } from "../domain/entities.ts";
import { Code, Refusal } from "../errors.ts";
import { chooseLanguage, readAcceptLanguage } from "../i18n/language.ts";
import { formatMessage, type Language } from "../i18n/messages.ts";
import type { Logger } from "../log.ts";
import type { ContextSoFar } from "./context.ts";

/** How long a refusal waits for the site's settings (to learn its language) before answering without. */
const SETTINGS_WAIT_MS = 1_000;

type HeaderCarrier = { headers?: Record<string, string | undefined> | null };

function acceptLanguageOf(event: unknown): string | undefined {
  const headers = (event as HeaderCarrier | undefined)?.headers ?? {};
  // Read before or after @middy/http-header-normalizer ran: any case.
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === "accept-language") return value;
  }
  return undefined;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

/** The first of `promise` and `ms` milliseconds: undefined when the wait (or the promise) failed. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * On every answer, 503s included: answers carry the address snapshot and renewed tokens, which no cache
 * may keep, and are JSON that no browser may sniff as something else.
 */
const SAFETY_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

function respond(context: ContextSoFar, language: Language, statusCode: number, body: object) {
  // Renewed only once the use case read the caller's user and found it active: a token of a deleted,
  // banned or pending user, or a request refused before that read, gets none.
  const renewedToken = context.trace?.buyerActive ? context.renewedToken : undefined;
  return {
    statusCode,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-language": language,
      ...SAFETY_HEADERS,
      ...(renewedToken ? { "update-token": renewedToken } : {}),
    },
    body: JSON.stringify(body),
  } satisfies APIGatewayProxyResultV2;
}

export interface EnvelopeOptions {
  logger: Logger;
  /** The container's Settings cache: a request's one read goes through it. */
  settings: SettingsLoader;
  /** SITE_LANGUAGE: the site's language as deployed, for answers given without Settings in hand. */
  siteLanguage: Language;
  /** Milliseconds until the answer is due (the handler's early-timeout moment): no wait outlasts it. */
  timeLeft?: (context: Context) => number;
}

export function envelope({
  logger,
  settings,
  siteLanguage,
  timeLeft = () => Number.POSITIVE_INFINITY,
}: EnvelopeOptions): MiddlewareObj<unknown, unknown, Error, ContextSoFar> {
  /** The Settings each request in flight has read (only once its read succeeded). */
  const readBy = new WeakMap<object, Settings>();

  /**
   * The request's Accept-Language, else the site's language: Settings.language when Settings are in
   * hand, else SITE_LANGUAGE. A platform fault never waits on (or fails by) another DynamoDB call, and
   * neither does a refusal of an unauthenticated caller: both use the Settings this request already
   * read, else those the container read within the TTL, else SITE_LANGUAGE. Any other answer uses this
   * request's Settings (already read by the use case, or read now, briefly, never past the answer's
   * due time).
   */
  async function languageOf(event: unknown, context: ContextSoFar, fault: boolean): Promise<Language> {
    const preference = readAcceptLanguage(acceptLanguageOf(event));
    if (preference.preferred) return preference.preferred;
    // An unauthenticated caller (no or a bad token, an oversized body) never makes us read DynamoDB.
    const authenticated = context.userId !== undefined;
    const waitMs = fault || !authenticated ? 0 : Math.min(SETTINGS_WAIT_MS, timeLeft(context));
    const inHand = () => readBy.get(context) ?? settings.fresh();
    const site =
      waitMs > 0 ? ((await within((context.settings ?? settings)(), waitMs)) ?? inHand()) : inHand();
    return chooseLanguage(preference, site?.language ?? siteLanguage);
  }

  return {
    name: "envelope",
    before: (request) => {
      const { context } = request;
      context.settings = once(() =>
        settings().then((read) => {
          readBy.set(context, read);
          return read;
        }),
      );
    },
    after: async (request) => {
      const { event, context } = request;
      request.response = respond(context, await languageOf(event, context, false), 200, {
        code: Code.ok,
        msg: "",
        data: request.response,
      });
    },
    onError: async (request) => {
      const { error, event, context } = request;
      if (error instanceof Refusal) {
        const language = await languageOf(event, context, false);
        request.response = respond(context, language, 200, {
          code: error.code,
          msg: formatMessage(language, error.key, error.params),
        });
      } else {
        logger.error("platform fault", { error });
        const language = await languageOf(event, context, true);
        request.response = respond(context, language, 503, {
          code: Code.error,
          msg: formatMessage(language, "service.busy"),
        });
      }
    },
  };
}
