// Shared by the generated-input suites (fast-check through the whole middy chain on DynamoDB Local):
// run counts from the environment, a recorder of the DynamoDB calls each request made, and the
// properties every answer must have.
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { keys } from "../../lib/store/keys.ts";
import type { Answer } from "./shop.ts";

/** A run count from the environment (see README: FUZZ_*), else the default. */
export function runs(variable: string, fallback: number): number {
  const value = Number(process.env[variable]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"]);

/** The partition of the id counters (lib/store/keys.ts), matched on the key, never on the text written. */
const COUNTER_PARTITION = keys.counter("any").pk;

/**
 * A single-item write to an id counter, by its key: an order whose remark says "COUNTER" is still a write.
 * The key may be plain or already marshalled ({ S: "COUNTER" }), depending on where the middleware runs.
 */
function isCounterWrite(input: unknown): boolean {
  const { Key, Item } = (input ?? {}) as { Key?: { pk?: unknown }; Item?: { pk?: unknown } };
  const pk = (Key ?? Item)?.pk;
  return pk === COUNTER_PARTITION || (pk as { S?: unknown } | undefined)?.S === COUNTER_PARTITION;
}

export interface Call {
  command: string;
  /** A write that DynamoDB accepted (so it changed the table), id counters aside. */
  wrote: boolean;
}

/**
 * Records the DynamoDB calls of one request: `record(fn)` runs `fn` in its own async context, and every
 * call made from it (reads a refusal left in flight included) is attributed to it, never to the next.
 */
export function callRecorder() {
  const context = new AsyncLocalStorage<Call[]>();
  function configure(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, middlewareContext) => async (args) => {
        const command = String(middlewareContext.commandName).replace(/Command$/, "");
        const call: Call = { command, wrote: false };
        context.getStore()?.push(call);
        const result = await next(args);
        call.wrote = WRITES.has(command) && !isCounterWrite(args.input);
        return result;
      },
      { step: "initialize", name: "callRecorder" },
    );
  }
  async function record<T>(request: () => Promise<T>): Promise<{ result: T; calls: Call[] }> {
    const calls: Call[] = [];
    const result = await context.run(calls, request);
    return { result, calls };
  }
  return { configure, record };
}

export const CONTRACT_CODES = [0, -1, 1001, 1002];

/** Every answer: HTTP 200, a contract code, a message on refusals, the order on success. Never a 5xx. */
export function assertContractAnswer(answer: Answer, what: string): void {
  assert.equal(answer.status, 200, `${what}: HTTP ${answer.status} ${answer.msg}`);
  assert.ok(CONTRACT_CODES.includes(answer.code), `${what}: code ${answer.code}`);
  if (answer.code === 0) {
    assert.equal(answer.msg, "", what);
    assert.equal(typeof answer.data, "object", what);
  } else {
    assert.equal(typeof answer.msg, "string", what);
    assert.ok(answer.msg.length > 0, `${what}: a refusal says why`);
    assert.equal(answer.data, undefined, what);
    assert.doesNotMatch(answer.msg, /Exception|Error|at .*\.ts|dynamodb/i, `${what}: no internals`);
  }
}

/** Money on an order: integer cents, never negative, shares within the amount. */
export function assertMoney(order: Answer["data"], what: string): void {
  const cents = (name: string) => {
    const value = order[name];
    assert.ok(Number.isSafeInteger(value) && (value as number) >= 0, `${what}: ${name} ${String(value)}`);
    return value as number;
  };
  const amount = cents("amount");
  assert.equal(cents("origin_amount") - cents("discount_amount"), amount, `${what}: amount`);
  const shares = cents("share_amount") + cents("share_parent_amount") + cents("seller_amount");
  assert.ok(shares <= amount, `${what}: shares ${shares} exceed ${amount}`);
}

/** A generated request's answer keeps the contract; a success's money is sound; a refusal wrote nothing. */
export function assertSoundAnswer(answer: Answer, calls: Call[], what: string): void {
  assertContractAnswer(answer, what);
  if (answer.code === 0) assertMoney(answer.data, what);
  else assertWroteNothing(calls, what);
}

/** Unhandled rejections during a suite, so that a property can assert there were none. */
export function rejectionWatch() {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  return {
    seen,
    stop: () => process.off("unhandledRejection", listener),
  };
}

/** A refusal changed nothing: none of the request's DynamoDB calls wrote (id counters aside). */
export function assertWroteNothing(calls: Call[], what: string): void {
  assert.deepEqual(
    calls.filter((call) => call.wrote),
    [],
    `${what}: a refusal wrote nothing`,
  );
}

/** Answers counted by outcome (a refusal by its message, numbers folded), for a suite's summary. */
export function outcomeTally(successLabel: string) {
  const counts = new Map<string, number>();
  const label = (message: string) => message.replace(/\d+/g, "N");
  return {
    add(answer: Answer): void {
      const outcome = answer.code === 0 ? successLabel : label(answer.msg);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    },
    /** How many answers had this outcome (the success label, or a refusal message). */
    count: (outcome: string) => counts.get(outcome === successLabel ? outcome : label(outcome)) ?? 0,
    distinct: () => counts.size,
    summary: (title: string) =>
      `${title}; answers:\n${[...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([outcome, n]) => `  ${n} × ${outcome}`)
        .join("\n")}`,
  };
}
