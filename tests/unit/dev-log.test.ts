// npm run dev's short view (scripts/dev-log.ts): one line per request under 160 characters, with no user,
// token or personal data; the metrics blob and serverless-offline's per-request notices left out.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEV_LOG_MODES, devLogMode, SHORT_LINE_MAX, shortLine } from "../../scripts/dev-log.ts";

const at = "2026-12-04T19:15:19.543Z";
const time = new Date(at).toTimeString().slice(0, 8);
/** A request line as lib/http/observe.ts writes it through Powertools, context fields included. */
const request = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: "INFO",
    message: "request",
    timestamp: at,
    service: "anqicms-order-accept",
    cold_start: false,
    function_name: "anqicms-orders-dev-accept",
    function_request_id: "5759bfc6-2bc1-4232-845e-9eabd5856b16",
    sampling_rate: 0,
    status: 200,
    transactionRetries: 0,
    ...fields,
  });

test("each request is one short line: time, code, order number or message key, duration, replay and retries", () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      {
        outcome: "accepted",
        code: 0,
        userId: 1000,
        quotationId: 7,
        orderNumber: "202612050315198625",
        durationMs: 154,
      },
      `${time} code 0 order 202612050315198625 154 ms`,
    ],
    [
      {
        outcome: "replayed",
        code: 0,
        userId: 1000,
        quotationId: 7,
        orderNumber: "202612050315198625",
        durationMs: 28,
      },
      `${time} code 0 replayed order 202612050315198625 28 ms`,
    ],
    [
      {
        outcome: "accepted",
        code: 0,
        orderNumber: "202612050315198626",
        transactionRetries: 2,
        durationMs: 310,
      },
      `${time} code 0 order 202612050315198626 310 ms, 2 transaction retries`,
    ],
    [
      { outcome: "not_logged_in", code: 1001, reason: "auth.not_logged_in", durationMs: 1 },
      `${time} code 1001 auth.not_logged_in 1 ms`,
    ],
    [
      { outcome: "refused", code: -1, reason: "field.int_range", userId: 1000, durationMs: 1 },
      `${time} code -1 field.int_range 1 ms`,
    ],
    [
      {
        outcome: "unavailable",
        status: 503,
        code: -1,
        reason: "platform_fault",
        transactionRetries: 1,
        durationMs: 5500,
      },
      `${time} HTTP 503 platform_fault 5500 ms, 1 transaction retry`,
    ],
    [
      {
        outcome: "unavailable",
        status: 503,
        code: -1,
        reason: "data_fault",
        durationMs: 12,
        dataFault: { entity: "Goods", path: "price", kind: "number" },
      },
      `${time} HTTP 503 data_fault 12 ms, data fault Goods.price (number)`,
    ],
  ];
  for (const [fields, expected] of cases) {
    const line = shortLine(request(fields));
    assert.equal(line, expected);
    assert.ok((line ?? "").length <= SHORT_LINE_MAX);
    assert.doesNotMatch(line ?? "", /1000|userId|quotation 7|function_request_id/);
  }
});

test("the metrics blob and serverless-offline's notices are left out; other lines stay, under the limit", () => {
  const blob = JSON.stringify({
    _aws: { Timestamp: 1796411719543, CloudWatchMetrics: [] },
    requestId: "5759bfc6",
    Requests: 1,
  });
  for (const gone of [
    blob,
    "",
    "POST /api/communication/order/accept (λ: accept)",
    "(λ: accept) RequestId: 5759bfc6-2bc1-4232-845e-9eabd5856b16  Duration: 261.54 ms  Billed Duration: 262 ms",
  ]) {
    assert.equal(shortLine(gone), undefined, gone);
  }
  for (const kept of ["Server ready: http://127.0.0.1:3000 🚀", "✘ [ERROR] Could not resolve", "[1,2]"]) {
    assert.equal(shortLine(kept), kept);
  }
  const fault = shortLine(
    JSON.stringify({
      level: "ERROR",
      message: "platform fault",
      timestamp: at,
      error: {
        name: "ResourceNotFoundException",
        location: "file:///work/repo/lib/store/query.ts:42",
        message: `Cannot do operations on a non-existent table ${"x".repeat(200)}`,
        stack: "ResourceNotFoundException: ...\n    at ...",
      },
    }),
  );
  assert.match(
    fault ?? "",
    new RegExp(`^${time} ERROR platform fault: ResourceNotFoundException: Cannot do`),
  );
  assert.equal(fault?.length, SHORT_LINE_MAX);
  assert.doesNotMatch(fault ?? "", /\n/);
});

test("DEV_LOG is short (the default) or json, nothing else", () => {
  assert.deepEqual(DEV_LOG_MODES, ["short", "json"]);
  assert.equal(devLogMode(undefined), "short");
  assert.equal(devLogMode("json"), "json");
  assert.throws(() => devLogMode("JSON"), /DEV_LOG must be short or json, not "JSON"/);
});
