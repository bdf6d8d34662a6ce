// A shop for tests: its own table in the DynamoDB Local of the test run, loaded from a fixture, and the
// real handler (the whole middy chain) wired to it. Nothing here stands in for the database.
// First, before anything loads Powertools' logger and metrics, which read their settings once.
import "./quiet-powertools.ts";

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createAcceptHandler } from "../../lib/app/accept-handler.ts";
import type { SecretSource } from "../../lib/auth/secrets.ts";
import { signToken } from "../../lib/auth/token.ts";
import type { Config } from "../../lib/config.ts";
import { formatMessage, type Language } from "../../lib/i18n/messages.ts";
import { createDocumentClient } from "../../lib/store/client.ts";
import { loadFixture, parseFixture } from "../../lib/store/fixture.ts";
import { ensureTable } from "../../lib/store/table.ts";

/** The secret the committed events/ are signed with: a local test value, never a deployed one. */
export const EVENT_SECRET = "local-dev-secret-not-for-any-deploy";

/** The DynamoDB Local of the test run (tests/support/global-setup.ts starts it). */
export function localEndpoint(): string {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error("DYNAMODB_ENDPOINT is unset: run the tests with npm test");
  return endpoint;
}

/**
 * A test handler's config: `table` in the run's DynamoDB Local; unless given, tokens signed with
 * EVENT_SECRET, no Settings cache (each request reads what the test just stored), 20 ids per block and
 * SITE_LANGUAGE unset (zh-CN).
 */
export function testConfig(
  table: string,
  {
    tokenSecret = EVENT_SECRET,
    settingsTtlSeconds = 0,
    siteLanguage = "zh-CN",
    corsOrigins,
  }: Partial<Pick<Config, "tokenSecret" | "settingsTtlSeconds" | "siteLanguage" | "corsOrigins">> = {},
): Config {
  return {
    tableName: table,
    dynamodbEndpoint: localEndpoint(),
    tokenSecret,
    tokenSecretParameter: undefined,
    settingsTtlSeconds,
    siteLanguage,
    corsOrigins,
  };
}

export const root = new URL("../../", import.meta.url);
export const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(path, root), "utf8"));
/**
 * The tests' shop: tests/fixtures/shop.json, a copy of the demo shop that tests own. fixtures/demo.json is
 * the people's to edit (README), so no test reads it.
 */
export const demoFixture = () => readJson("tests/fixtures/shop.json") as Record<string, unknown>;

/**
 * The language tests read answers in unless they choose one: English, so that assertions show the
 * exact English texts. Tests of the language choice itself pass their own header, or none.
 */
export const TEST_LANGUAGE = "en-US";

/** The 503 answer's text in TEST_LANGUAGE. */
export const RETRY_LATER = formatMessage(TEST_LANGUAGE, "service.busy");

/**
 * A committed event. One that carries no accept-language gets TEST_LANGUAGE's, unless `asCommitted`
 * (the event exactly as `osls invoke local` sends it).
 */
export function fixtureEvent(name: string, { asCommitted = false } = {}): APIGatewayProxyEventV2 {
  const event = readJson(`events/${name}.json`) as APIGatewayProxyEventV2;
  if (!asCommitted && event.headers["accept-language"] === undefined) {
    event.headers["accept-language"] = TEST_LANGUAGE;
  }
  return event;
}

/** Every item of a table, page after page (strongly consistent): what tests and benches check. */
export async function scanTable(doc: DynamoDBDocumentClient, table: string): Promise<Item[]> {
  const all: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true }),
    );
    all.push(...((page.Items ?? []) as Item[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return all;
}

export interface ShopOptions {
  /** Unix seconds seen by the handler (token expiry, quotation expiry, created_time). */
  now?: () => number;
  /** SDK middleware for fault injection. */
  configure?: (client: DynamoDBClient) => void;
  settingsTtlSeconds?: number;
  /**
   * Lambda time left, as the context stub reports it: a clock that stands still (every call says the
   * same), or a function the test drives. Unset, 15 minutes (Lambda's longest), so that only a test
   * about deadlines ever meets one, however slow the machine.
   */
  remainingMs?: number | (() => number);
  /** Where the handler gets the token secrets (default: the fixed EVENT_SECRET, as TOKEN_SECRET does). */
  secrets?: SecretSource;
  /** SITE_LANGUAGE as deployed (default zh-CN, as when unset). */
  siteLanguage?: Language;
  /** The handler's random source (order-number suffixes, coupon units); Math.random unless given. */
  random?: () => number;
  /** CORS_ORIGINS as deployed: a cookie token counts from these origins (default none). */
  corsOrigins?: readonly string[];
}

export interface Answer {
  status: number;
  code: number;
  msg: string;
  data: Record<string, unknown> & {
    details?: Record<string, unknown>[];
    order_address?: Record<string, unknown> | null;
  };
  headers: Record<string, string>;
}

export type Item = Record<string, unknown> & { entity: string; pk: string; sk: string };

export async function openShop(fixture: unknown = demoFixture(), options: ShopOptions = {}) {
  const table = `test-${randomUUID()}`;
  const endpoint = localEndpoint();
  const setup = createDocumentClient({ endpoint });
  await ensureTable(setup, table);
  await loadFixture({ doc: setup, table }, parseFixture(fixture));
  const doc = createDocumentClient({ endpoint, configure: options.configure });
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const handler = createAcceptHandler(
    testConfig(table, {
      settingsTtlSeconds: options.settingsTtlSeconds,
      siteLanguage: options.siteLanguage,
      corsOrigins: options.corsOrigins,
    }),
    // `doc` is also the shop's: tests write through the handler's own client, faults included.
    { doc, now, secrets: options.secrets, random: options.random },
  );

  async function invoke(event: APIGatewayProxyEventV2): Promise<Answer> {
    const remaining = options.remainingMs ?? 900_000;
    const context = {
      functionName: "accept",
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: typeof remaining === "function" ? remaining : () => remaining,
    } as unknown as Parameters<typeof handler>[1];
    const result = (await handler(structuredClone(event), context)) as APIGatewayProxyStructuredResultV2;
    const body = JSON.parse(String(result.body));
    return {
      status: result.statusCode ?? 0,
      ...body,
      headers: (result.headers ?? {}) as Record<string, string>,
    };
  }

  /**
   * POSTs a body (object, or raw text) as `userId`; `token: null` sends no token. Accept-Language is
   * TEST_LANGUAGE unless `acceptLanguage` says otherwise (`null`: no header).
   */
  async function accept(
    body: unknown,
    as: {
      userId?: number;
      token?: string | null;
      acceptLanguage?: string | null;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Answer> {
    const token =
      as.token === null
        ? undefined
        : (as.token ?? (await signToken(EVENT_SECRET, as.userId ?? 1000, now() + 86_400)));
    const event = fixtureEvent("accept-interface-example");
    const acceptLanguage = as.acceptLanguage === undefined ? TEST_LANGUAGE : as.acceptLanguage;
    event.headers = {
      "content-type": "application/json",
      ...(acceptLanguage === null ? {} : { "accept-language": acceptLanguage }),
      ...(token ? { token } : {}),
      ...as.headers,
    };
    event.body = typeof body === "string" ? body : JSON.stringify(body);
    return invoke(event);
  }

  const items = () => scanTable(setup, table);

  async function ofEntity(entity: string): Promise<Item[]> {
    return (await items()).filter((item) => item.entity === entity);
  }

  /** How many items of each written entity the table holds. */
  async function counts() {
    const all = await items();
    const count = (entity: string) => all.filter((item) => item.entity === entity).length;
    return {
      Order: count("Order"),
      OrderDetail: count("OrderDetail"),
      OrderAddress: count("OrderAddress"),
      Commission: count("Commission"),
      Address: count("Address"),
      CouponUse: count("CouponUse"),
    };
  }

  /** Everything but the id counters (which may move on a refusal), for "nothing was written" checks. */
  async function snapshot(): Promise<Item[]> {
    const all = await items();
    return all
      .filter((item) => item.entity !== "Counter")
      .sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
  }

  return { table, doc, handler, invoke, accept, items, ofEntity, counts, snapshot, now };
}

export type Shop = Awaited<ReturnType<typeof openShop>>;

/** A random source that makes the handler draw these order-number suffixes (0–9999), in turn. */
export function suffixes(...values: number[]): () => number {
  let next = 0;
  return () => ((values[next++ % values.length] ?? 0) + 0.5) / 10_000;
}

/** Asserts a contract refusal (HTTP 200, `code`, exactly `msg`, no data) that wrote nothing at all. */
export async function assertRefused(
  shop: Shop,
  body: unknown,
  expected: { msg: string; code?: number },
  as: Parameters<Shop["accept"]>[1] = {},
): Promise<void> {
  const before = await shop.snapshot();
  const answer = await shop.accept(body, as);
  assert.deepEqual(
    { status: answer.status, code: answer.code, msg: answer.msg, data: answer.data },
    { status: 200, code: expected.code ?? -1, msg: expected.msg, data: undefined },
  );
  assert.deepEqual(await shop.snapshot(), before, "nothing was written");
}
