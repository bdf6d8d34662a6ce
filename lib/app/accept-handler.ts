// The accept handler built from a config: the middy chain, and what one Lambda container keeps between
// requests (SDK client, order-number suffixes, Settings cache, token secrets). handlers/accept.ts
// builds the deployed one from the environment; tests and benches build theirs with a config of their own.
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { acceptQuotation } from "../accept/accept-quotation.ts";
import { parseAcceptRequest } from "../accept/request.ts";
import type { SecretSource } from "../auth/secrets.ts";
import type { Config } from "../config.ts";
import { SuffixSequence } from "../domain/order-number.ts";
import { PlatformFault } from "../errors.ts";
import { authenticate } from "../http/authenticate.ts";
import { bodyLimit, nestingLimit, parserRefusals, validateBody } from "../http/body.ts";
import type { RequestContext } from "../http/context.ts";
import { envelope } from "../http/envelope.ts";
import { observe } from "../http/observe.ts";
import { logger } from "../log.ts";
import { metrics } from "../metrics.ts";
import { dynamoAcceptStore } from "../store/accept-store.ts";
import { createDocumentClient } from "../store/client.ts";
import type { Db } from "../store/db.ts";
import { cachedSettings } from "../store/settings.ts";
import { requestDeadline, TIMEOUT_MARGIN_MS, timeLeft } from "./deadline.ts";
import { secretsFromConfig } from "./token-secrets.ts";

const unixNow = () => Math.floor(Date.now() / 1000);

/** The DynamoDB client: one made from the config, or one of the caller's. */
type ClientOverride =
  | {
      /** SDK middleware on the client made from the config: tests inject faults with it. */
      configure?: (client: DynamoDBClient) => void;
      doc?: never;
    }
  | {
      /** A client of the caller's: a test writes through the one its handler reads with. */
      doc: DynamoDBDocumentClient;
      configure?: never;
    };

/** What tests and benches change about a container; the deployed handler takes none. */
export type AcceptHandlerOverrides = ClientOverride & {
  /** Where the token secrets come from; by default TOKEN_SECRET, else the SSM parameter (the config's). */
  secrets?: SecretSource;
  /** Unix seconds: token and quotation expiry, created_time, the Settings cache's age. */
  now?: () => number;
  /** Order-number suffixes start, and coupon units are drawn, from it (default Math.random); tests pin it. */
  random?: () => number;
};

export function createAcceptHandler(config: Config, overrides: AcceptHandlerOverrides = {}) {
  const { now = unixNow, random } = overrides;
  const db: Db = {
    doc:
      overrides.doc ??
      createDocumentClient({
        endpoint: config.dynamodbEndpoint,
        credentials: "environment",
        configure: overrides.configure,
      }),
    table: config.tableName,
  };
  const secrets = overrides.secrets ?? secretsFromConfig(config);
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
      .use(
        authenticate({ secrets, deadline: requestDeadline, now, allowedOrigins: config.corsOrigins ?? [] }),
      )
      .use(nestingLimit())
      .use(parserRefusals())
      // JSON whatever the Content-Type, as AnqiCMS reads it; __proto__ and constructor.prototype are refused.
      .use(httpJsonBodyParser({ disableContentTypeCheck: true }))
      .use(validateBody({ parse: parseAcceptRequest }))
      .handler(async (_event, context, { signal }) => {
        const { trace } = context;
        const left = timeLeft(context);
        const order = await acceptQuotation(context.input, context.userId, {
          store: dynamoAcceptStore({ ...db, signal }),
          signal,
          deadline: Number.isFinite(left) ? Date.now() + left : undefined,
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
