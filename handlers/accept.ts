// POST /api/communication/order/accept — a customer accepts a merchant's quotation (docs/accept.md).
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { acceptQuotation } from "../lib/accept/accept-quotation.ts";
import { parseAcceptRequest } from "../lib/accept/request.ts";
import { DEFAULT_REFRESH, fixedSecrets, refreshingSecrets, type SecretSource } from "../lib/auth/secrets.ts";
import { environmentCredentials } from "../lib/aws/credentials.ts";
import { parameterReader } from "../lib/aws/ssm-parameter.ts";
import { type Config, readConfig } from "../lib/config.ts";
import { SuffixSequence } from "../lib/domain/order-number.ts";
import { PlatformFault } from "../lib/errors.ts";
import { authenticate } from "../lib/http/authenticate.ts";
import { bodyLimit, nestingLimit, parserRefusals, validateBody } from "../lib/http/body.ts";
import type { RequestContext } from "../lib/http/context.ts";
import { envelope } from "../lib/http/envelope.ts";
import { observe } from "../lib/http/observe.ts";
import { logger } from "../lib/log.ts";
import { metrics } from "../lib/metrics.ts";
import { createDocumentClient } from "../lib/store/client.ts";
import type { Db } from "../lib/store/db.ts";
import { IdPool } from "../lib/store/ids.ts";
import { cachedSettings } from "../lib/store/settings.ts";

const unixNow = () => Math.floor(Date.now() / 1000);

/** Answer 503 ourselves this long before the Lambda's deadline, instead of being killed mid-flight. */
const TIMEOUT_MARGIN_MS = 500;

export interface HandlerDeps {
  config: Config;
  db: Db;
  /** Where the token secrets come from; by default TOKEN_SECRET, else the SSM parameter. */
  secrets?: SecretSource;
  now?: () => number;
  /** Order-number suffixes start, and coupon units are drawn, from it (default Math.random); tests pin it. */
  random?: () => number;
}

/** Milliseconds until the handler must have answered: the early-timeout moment middy uses for itself. */
function timeLeft(context: Context): number {
  if (typeof context.getRemainingTimeInMillis !== "function") return Number.POSITIVE_INFINITY;
  return Math.max(0, context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS);
}

/** Aborts when the handler must answer 503. */
function requestDeadline(context: Context): AbortSignal | undefined {
  const left = timeLeft(context);
  return Number.isFinite(left) ? AbortSignal.timeout(left) : undefined;
}

/** TOKEN_SECRET locally; deployed, the SecureString named by TOKEN_SECRET_PARAMETER, read on demand. */
function secretsFromConfig(config: Config): SecretSource {
  if (config.tokenSecret) return fixedSecrets(config.tokenSecret);
  const name = config.tokenSecretParameter as string; // readConfig requires one of the two
  const region = process.env.AWS_REGION;
  if (!region) throw new Error("AWS_REGION is unset: needed to read TOKEN_SECRET_PARAMETER");
  return refreshingSecrets(parameterReader({ name, region, credentials: environmentCredentials }), {
    ...DEFAULT_REFRESH,
    onFailure: (error, keptLastGood) => logger.warn("token secret fetch failed", { error, keptLastGood }),
  });
}

export function createHandler({
  config,
  db,
  secrets = secretsFromConfig(config),
  now = unixNow,
  random,
}: HandlerDeps) {
  const ids = new IdPool(config.idBlockSize);
  const suffixes = new SuffixSequence(random ?? Math.random);
  // On the handler's clock, so that a test's fake clock ages the cache too.
  const settings = cachedSettings(db, config.settingsTtlSeconds, () => now() * 1000);

  return (
    middy<APIGatewayProxyEventV2, unknown, Error, RequestContext>({
      timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
      timeoutEarlyResponse: () => {
        throw new PlatformFault("gave up before the Lambda deadline");
      },
    })
      // Outermost: the request id on every log line, then one log line and one metrics blob per request.
      // logEvent off whatever POWERTOOLS_LOGGER_LOG_EVENT says: an event holds the token and the address.
      .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
      .use(observe({ logger, metrics }))
      .use(envelope({ logger, settings, siteLanguage: config.siteLanguage, timeLeft }))
      .use(httpHeaderNormalizer())
      .use(bodyLimit())
      .use(authenticate({ secrets, deadline: requestDeadline, now }))
      .use(nestingLimit())
      .use(parserRefusals())
      // JSON whatever the Content-Type, as AnqiCMS reads it; __proto__ and constructor.prototype are refused.
      .use(httpJsonBodyParser({ disableContentTypeCheck: true }))
      .use(validateBody({ parse: parseAcceptRequest }))
      .handler(async (_event, context, { signal }) => {
        const { trace } = context;
        const left = timeLeft(context);
        const order = await acceptQuotation(context.input, context.userId, {
          db: { ...db, signal, deadline: Number.isFinite(left) ? Date.now() + left : undefined },
          ids,
          settings: context.settings,
          now,
          trace,
          suffixes,
          ...(random ? { random } : {}),
        });
        trace.orderNumber = order.order_id;
        return order;
      })
  );
}

function fromEnvironment(): HandlerDeps {
  const config = readConfig();
  return {
    config,
    db: {
      doc: createDocumentClient({ endpoint: config.dynamodbEndpoint, credentials: "environment" }),
      table: config.tableName,
    },
  };
}

export const handler = createHandler(fromEnvironment());
