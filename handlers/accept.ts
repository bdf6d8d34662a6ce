// POST /api/communication/order/accept — a customer accepts a merchant's quotation (docs/accept.md).
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import ssm from "@middy/ssm";
import { acceptQuotation } from "../lib/accept/accept-quotation.ts";
import { parseAcceptRequest } from "../lib/accept/request.ts";
import { type Config, readConfig } from "../lib/config.ts";
import { PlatformFault } from "../lib/errors.ts";
import { authenticate } from "../lib/http/authenticate.ts";
import { bodyLimit, jsonBody, validateBody } from "../lib/http/body.ts";
import { envelope } from "../lib/http/envelope.ts";
import { type ObservedContext, observe } from "../lib/http/observe.ts";
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
  now?: () => number;
}

export function createHandler({ config, db, now = unixNow }: HandlerDeps) {
  const ids = new IdPool(config.idBlockSize);
  const settings = cachedSettings(db, config.settingsTtlSeconds);

  const handler = middy({
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new PlatformFault("gave up before the Lambda deadline");
    },
  })
    // Outermost: the request id on every log line, then one log line and one metrics blob per request.
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(observe({ logger, metrics }))
    .use(envelope(logger, settings))
    .use(httpHeaderNormalizer())
    .use(bodyLimit());
  if (!config.tokenSecret && config.tokenSecretParameter) {
    // Deployed: the secret is a SecureString, fetched once per container (and re-read every 15 minutes).
    handler.use(
      ssm({
        fetchData: { tokenSecret: config.tokenSecretParameter },
        setToContext: true,
        cacheExpiry: 15 * 60 * 1000,
      }),
    );
  }
  return handler
    .use(authenticate({ secret: config.tokenSecret, now }))
    .use(jsonBody())
    .use(validateBody(parseAcceptRequest))
    .handler(async (_event, context, { signal }) => {
      const { trace } = context as typeof context & ObservedContext;
      const order = await acceptQuotation(context.input, context.userId, {
        db: { ...db, signal },
        ids,
        settings: context.settings,
        now,
        trace,
      });
      trace.orderNumber = order.order_id;
      return order;
    });
}

function fromEnvironment(): HandlerDeps {
  const config = readConfig();
  return {
    config,
    db: { doc: createDocumentClient({ endpoint: config.dynamodbEndpoint }), table: config.tableName },
  };
}

export const handler = createHandler(fromEnvironment());
