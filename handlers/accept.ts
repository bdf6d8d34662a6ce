// POST /api/communication/order/accept — a customer accepts a merchant's quotation (docs/accept.md).
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import httpJsonBodyParser from "@middy/http-json-body-parser";
import ssm from "@middy/ssm";
import { acceptQuotation } from "../lib/accept/accept-quotation.ts";
import { parseAcceptRequest } from "../lib/accept/request.ts";
import { type Config, readConfig } from "../lib/config.ts";
import { PlatformFault } from "../lib/errors.ts";
import { authenticate } from "../lib/http/authenticate.ts";
import { bodyLimit, nestingLimit, parserRefusals, validateBody } from "../lib/http/body.ts";
import { envelope } from "../lib/http/envelope.ts";
import { logger } from "../lib/log.ts";
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
    .use(envelope(logger))
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
  return (
    handler
      .use(authenticate({ secret: config.tokenSecret, now }))
      .use(nestingLimit())
      .use(parserRefusals())
      // JSON whatever the Content-Type, as AnqiCMS reads it; __proto__ and constructor.prototype are refused.
      .use(httpJsonBodyParser({ disableContentTypeCheck: true }))
      .use(validateBody(parseAcceptRequest))
      .handler((_event, context, { signal }) =>
        acceptQuotation(context.input, context.userId, { db: { ...db, signal }, ids, settings, now }),
      )
  );
}

function fromEnvironment(): HandlerDeps {
  const config = readConfig();
  return {
    config,
    db: { doc: createDocumentClient({ endpoint: config.dynamodbEndpoint }), table: config.tableName },
  };
}

export const handler = createHandler(fromEnvironment());
