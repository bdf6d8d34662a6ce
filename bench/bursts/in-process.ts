// The handler in process, bypassing serverless-offline: every concurrent request is a cold container of
// its own (handler, id pool, settings cache), as Lambda scales out, with the Lambda's 6 s deadline.
// They share one SDK client and its keep-alive sockets (240 clients opening 1,440 sockets at once from
// one Node thread measure the bench, not the product: each Lambda connects on its own CPU), with room to
// wait for one: the project's 1 s connection timeout counts from the call's creation, so calls queued
// behind the pool would fail as no Lambda's call does.
// SDK middleware counts what each call cost, per request, and can emulate DynamoDB's
// TransactionConflict, which DynamoDB Local never raises.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { type DynamoDBClient, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createAcceptHandler } from "../../lib/app/accept-handler.ts";
import { createDocumentClient } from "../../lib/store/client.ts";
import { SECRET, tokenFor } from "../../tests/support/flash-sale.ts";
import type { Counters, Outcome } from "./figures.ts";

const LAMBDA_TIMEOUT_MS = 6_000;

const keyText = (value: unknown) => JSON.stringify(value);

/** The items a TransactWriteItems touches, as comparable text, in TransactItems order. */
function transactionItems(input: Record<string, unknown>): string[] {
  const items = (input.TransactItems as Record<string, Record<string, Record<string, unknown>>>[]) ?? [];
  return items.map((item) => {
    const action = Object.values(item)[0] ?? {};
    const key = (action.Key ?? action.Item ?? {}) as Record<string, unknown>;
    return `${String(action.TableName)} ${keyText(key.pk)} ${keyText(key.sk)}`;
  });
}

/** Items held by transactions in flight, shared by every container: DynamoDB's view of the table. */
const held = new Map<string, number>();

function conflict(items: string[], contested: number) {
  const reasons = items.map((_, index) =>
    index === contested
      ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }
      : { Code: "None" },
  );
  return new TransactionCanceledException({
    message: "Transaction cancelled, please refer cancellation reasons for specific reasons",
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}

/** The counters of the request whose call this is. */
const current = new AsyncLocalStorage<{ counters: Counters; calls: number; attempts: number }>();

function instrument(client: DynamoDBClient, emulateConflicts: boolean) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = current.getStore();
      if (!request) return next(args);
      const { counters } = request;
      const command = String(context.commandName).replace(/Command$/, "");
      const input = args.input as Record<string, unknown>;
      const isCounter =
        command === "UpdateItem" && keyText((input.Key as Record<string, unknown>)?.pk).includes("COUNTER");
      const phase = isCounter ? "id counters" : command;
      const started = performance.now();
      let items: string[] = [];
      try {
        if (command === "TransactWriteItems") {
          counters.transactions += 1;
          items = transactionItems(input);
          if (emulateConflicts) {
            const contested = items.findIndex((item) => (held.get(item) ?? 0) > 0);
            if (contested >= 0) throw conflict(items, contested);
            for (const item of items) held.set(item, (held.get(item) ?? 0) + 1);
          }
        }
        if (isCounter) counters.counterWrites += 1;
        request.calls += 1;
        try {
          return await next(args);
        } finally {
          if (emulateConflicts && command === "TransactWriteItems") {
            for (const item of items) held.set(item, (held.get(item) ?? 1) - 1);
          }
        }
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          counters.conflicts += (error.CancellationReasons ?? []).filter(
            (reason) => reason.Code === "TransactionConflict",
          ).length;
        }
        throw error;
      } finally {
        counters.phaseMs[phase] = (counters.phaseMs[phase] ?? 0) + performance.now() - started;
      }
    },
    { step: "initialize", name: "benchBurstCounters" },
  );
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = current.getStore();
      if (request) request.attempts += 1;
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "benchBurstAttempts" },
  );
}

/** The client every container of a run shares, instrumented (and given the caller's middleware too). */
export function sharedClient(
  endpoint: string,
  options: { emulateConflicts: boolean; configure?: (client: DynamoDBClient) => void },
) {
  return createDocumentClient({
    endpoint,
    configure: (client) => {
      instrument(client, options.emulateConflicts);
      options.configure?.(client);
      client.config.requestHandler = new NodeHttpHandler({
        connectionTimeout: 15_000,
        requestTimeout: 15_000,
        httpAgent: { keepAlive: true, maxSockets: 256 },
      });
    },
  });
}

export interface Container {
  accept: (userId: number, body: unknown) => Promise<Outcome>;
}

/**
 * A fresh Lambda container on `table`; its requests' figures are added to `counters`. `timeoutMs`: the
 * Lambda's (6 s unless a bench that counts units, not seconds, gives its requests room).
 */
export function coldContainer(
  doc: DynamoDBDocumentClient,
  table: string,
  counters: Counters,
  { timeoutMs = LAMBDA_TIMEOUT_MS } = {},
): Container {
  // Accepts on one container run one after another (as on Lambda), so a delta is one request's.
  const handler = createAcceptHandler(
    {
      tableName: table,
      dynamodbEndpoint: "http://127.0.0.1", // unused: the shared client is given
      tokenSecret: SECRET,
      tokenSecretParameter: undefined,
      siteLanguage: "zh-CN",
      settingsTtlSeconds: 60,
    },
    { doc },
  );
  async function accept(userId: number, body: unknown): Promise<Outcome> {
    const event = {
      version: "2.0",
      routeKey: "POST /api/communication/order/accept",
      rawPath: "/api/communication/order/accept",
      rawQueryString: "",
      headers: {
        "content-type": "application/json",
        "accept-language": "en-US",
        token: await tokenFor(userId),
      },
      requestContext: { http: { method: "POST", path: "/api/communication/order/accept" } },
      body: JSON.stringify(body),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const transactionsBefore = counters.transactions;
    const started = performance.now();
    const deadline = Date.now() + timeoutMs;
    const context = {
      functionName: "accept",
      awsRequestId: randomUUID(),
      getRemainingTimeInMillis: () => deadline - Date.now(),
    };
    const request = { counters, calls: 0, attempts: 0 };
    const result = (await current.run(request, () =>
      handler(event, context as never),
    )) as APIGatewayProxyStructuredResultV2;
    counters.sdkRetries += request.attempts - request.calls;
    const ms = performance.now() - started;
    const transactions = counters.transactions - transactionsBefore;
    counters.transactionRetries += Math.max(0, transactions - 1);
    const answer = JSON.parse(String(result.body)) as {
      code: number;
      msg: string;
      data?: { order_id?: string };
    };
    return {
      status: result.statusCode ?? 0,
      code: answer.code,
      msg: answer.msg,
      ms,
      orderNumber: answer.data?.order_id,
      transactions,
    };
  }
  return { accept };
}
