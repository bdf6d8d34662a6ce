// Faults injected where the AWS SDK would meet them: a client middleware inside the SDK's retry loop
// (finalizeRequest, after retryMiddleware) and outside its deserializer. Whatever a rule throws is seen
// by the SDK's standard retry strategy exactly as a real DynamoDB or network error would be; whatever it
// lets through goes to the real DynamoDB Local. The database itself is never mocked.

import { setTimeout as sleep } from "node:timers/promises";
import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";

/** One attempt of one SDK call, as the middleware sees it. */
export interface Attempt {
  /** The DynamoDB operation, e.g. "TransactWriteItems", "GetItem". */
  command: string;
  /** The SDK's invocation id: the same for every attempt of one send(). */
  call: string;
  /** 1 for the first try of a send(), 2… for the SDK's own retries (from the amz-sdk-request header). */
  attempt: number;
  /** The request body the SDK put on the wire (marshalled JSON). */
  body: string;
  /** The operation's input, e.g. `TransactItems` (marshalled). */
  input: Record<string, unknown>;
  /** Set when the attempt settles: "ok", or the name/code of what it threw. */
  outcome?: string;
}

/** Decides the fate of one attempt: call `send()` to let it reach DynamoDB Local, or throw. */
export type Rule = (attempt: Attempt, send: () => Promise<unknown>) => Promise<unknown>;

const passThrough: Rule = (_attempt, send) => send();

export function faultInjector() {
  const attempts: Attempt[] = [];
  let rule: Rule = passThrough;
  let pending = 0;
  let lastChange = Date.now();

  function configure(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const request = args.request as { body?: unknown; headers?: Record<string, string> };
        const header = request.headers?.["amz-sdk-request"] ?? "attempt=1";
        const attempt: Attempt = {
          call: request.headers?.["amz-sdk-invocation-id"] ?? "",
          command: String(context.commandName).replace(/Command$/, ""),
          attempt: Number(/attempt=(\d+)/.exec(header)?.[1] ?? 1),
          body: bodyText(request.body),
          input: args.input as Record<string, unknown>,
        };
        attempts.push(attempt);
        pending += 1;
        lastChange = Date.now();
        try {
          const result = await rule(attempt, () => next(args));
          attempt.outcome = "ok";
          return result as Awaited<ReturnType<typeof next>>;
        } catch (error) {
          const { name, code } = error as { name?: string; code?: string };
          attempt.outcome = code ?? name ?? "error";
          throw error;
        } finally {
          pending -= 1;
          lastChange = Date.now();
        }
      },
      { step: "finalizeRequest", priority: "low", name: "faultInjection" },
    );
  }

  return {
    configure,
    /** Every attempt seen so far, in order. */
    attempts,
    /** Replaces the rule for every later attempt. */
    set(next: Rule) {
      rule = next;
    },
    /** Lets everything through again. */
    clear() {
      rule = passThrough;
    },
    of(command: string) {
      return attempts.filter((attempt) => attempt.command === command);
    },
    /** The attempts grouped by SDK call (one send()), in order. */
    calls(): Attempt[][] {
      const byCall = new Map<string, Attempt[]>();
      for (const attempt of attempts)
        byCall.set(attempt.call, [...(byCall.get(attempt.call) ?? []), attempt]);
      return [...byCall.values()];
    },
    /**
     * Resolves once no attempt is in flight and none started for `quietMs` (longer than the SDK's
     * transient backoff): calls the handler left behind when it answered have then finished retrying.
     */
    async settled(quietMs = 400) {
      while (pending > 0 || Date.now() - lastChange < quietMs) await sleep(20);
    },
  };
}

function bodyText(body: unknown): string {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return "";
}

export type FaultInjector = ReturnType<typeof faultInjector>;

// The errors, shaped as the SDK itself builds them, so that its retry strategy classifies them as in
// production (@smithy/core retry: THROTTLING by error name, TRANSIENT by Node error code or HTTP 5xx).

export const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: "The level of configured provisioned throughput for the table was exceeded.",
    $metadata: { httpStatusCode: 400 },
  });

export const throttling = () =>
  new ThrottlingException({
    message: "Rate of requests exceeds the allowed throughput.",
    $metadata: { httpStatusCode: 400 },
  });

export const internalError = () =>
  new InternalServerError({ message: "Internal server error", $metadata: { httpStatusCode: 500 } });

/** What Node's HTTP client throws when a connection dies mid-response. */
export const connectionReset = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

export const connectionRefused = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8000"), { code: "ECONNREFUSED" });

/**
 * A cancellation for `code` (TransactionConflict by default; ThrottlingError when an item is throttled),
 * reasons in TransactItems order as DynamoDB sends them.
 */
export function transactionConflict(
  attempt: Attempt,
  code = "TransactionConflict",
): TransactionCanceledException {
  const items = (attempt.input.TransactItems as unknown[] | undefined) ?? [];
  // The conflict is on the quotation, the item every concurrent accept of it touches.
  const contested = items.findIndex((item) => JSON.stringify(item).includes('"COMM#'));
  const reasons = items.map((_, index) =>
    index === contested
      ? {
          Code: code,
          Message:
            code === "TransactionConflict"
              ? "Transaction is ongoing for the item"
              : "Throughput exceeds the current capacity for the item",
        }
      : { Code: "None" },
  );
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}
