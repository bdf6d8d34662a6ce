// What an on-call engineer sees: every outcome of the real handler on DynamoDB Local, read back from
// the lines it writes to stdout (Powertools logs and its EMF metrics blob). Each line carries the
// request id, each request yields one log line and one blob with the right counts, and no line holds a
// token or any personal data the test sent or stored.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { captureLines, type Line } from "./support/log-lines.ts";

// Logs and metrics on, as deployed (tests/support/shop.ts silences both unless told otherwise). Set
// before the handler module is imported: its logger and metrics read these once.
process.env.POWERTOOLS_LOG_LEVEL = "INFO";
process.env.POWERTOOLS_METRICS_DISABLED = "false";
delete process.env.POWERTOOLS_DEV; // dev mode pretty-prints across lines
const { EVENT_SECRET, fixtureEvent, openShop } = await import("./support/shop.ts");
const { faultInjector, internalError, transactionConflict } = await import("./support/faults.ts");
const { signToken } = await import("../lib/auth/token.ts");
const { METRICS_NAMESPACE, SERVICE_NAME } = await import("../lib/metrics.ts");

/** A full new address: every field is personal data that must never reach a log line. */
const NEW_ADDRESS = {
  name: "Meilinxiu",
  last_name: "Zhouyuwen",
  phone: "13712345678",
  email: "meilin.zhou@mail.example",
  province: "Guangdongsheng",
  city: "Shenzhenshi",
  country: "Futianqu",
  address_info: "88 Shennan Avenue",
  company: "Zhou Prints",
  postcode: "518048",
};
/** Stored, malformed: a phone kept as a number (valibot's own issue text would quote it). */
const BAD_PHONE = 13987654321;

const secrets = new Set<string>([
  ...Object.values(NEW_ADDRESS),
  String(BAD_PHONE),
  // What the demo shop stores about bob and his saved address (his names are the words "bob" and "Li").
  "13900000001",
  "bob@example.com",
  "18 Longjing Road",
  "Li Tea House",
  '"bob"',
  '"Bob"',
  '"Li"',
]);

/** Runs one request with a known request id and returns its answer and the lines it wrote. */
async function observed(
  shop: Awaited<ReturnType<typeof openShop>>,
  body: unknown,
  userId: number | null,
): Promise<{ requestId: string; code: number; status: number; data: Line | undefined; lines: Line[] }> {
  const token = userId === null ? undefined : await signToken(EVENT_SECRET, userId, shop.now() + 86_400);
  if (token) secrets.add(token);
  const event = fixtureEvent("accept-interface-example");
  event.headers = { "content-type": "application/json", ...(token ? { token } : {}) };
  event.body = JSON.stringify(body);
  const requestId = randomUUID();
  const context = {
    functionName: "accept",
    awsRequestId: requestId,
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Parameters<typeof shop.handler>[1];

  // Powertools writes each line with one write() of JSON (warnings and errors to stderr); anything else
  // (the test runner's own output) passes on, but is searched for personal data too: a plain-text line
  // (a library's console warning) must not carry any either.
  const { result, lines, written } = await captureLines(
    async () => (await shop.handler(event, context)) as { statusCode: number; body: string },
  );
  for (const text of written) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `a log line holds ${secret}: ${text}`);
  }
  const answer = JSON.parse(result.body);
  for (const line of lines) {
    const id = line.function_request_id ?? line.requestId;
    assert.equal(id, requestId, `every line carries the request id: ${JSON.stringify(line)}`);
  }
  return { requestId, code: answer.code, status: result.statusCode, data: answer.data, lines };
}

/** The one summary line of a request. */
function requestLine(lines: Line[]): Line {
  const found = lines.filter((line) => line.message === "request");
  assert.equal(found.length, 1, "one request line");
  const line = found[0] as Line;
  assert.equal(line.service, SERVICE_NAME);
  assert.equal(line.function_name, "accept");
  // Exactly these keys beside Powertools' own: nothing else can carry a request's data into the logs.
  const own = Object.keys(line).filter(
    (key) =>
      !["level", "message", "timestamp", "service", "sampling_rate", "xray_trace_id"].includes(key) &&
      !key.startsWith("function_") &&
      key !== "cold_start",
  );
  const expected = ["outcome", "status", "code", "reason", "userId", "quotationId", "orderNumber"];
  const allowed = [...expected, "transactionRetries", "durationMs", "dataFault"];
  assert.deepEqual(
    own.filter((key) => !allowed.includes(key)),
    [],
  );
  assert.equal(typeof line.durationMs, "number");
  return line;
}

/** The request's one EMF blob, checked as CloudWatch reads it, as {metric: value}. */
function metricsBlob(lines: Line[]): Record<string, number> {
  const blobs = lines.filter((line) => "_aws" in line);
  assert.equal(blobs.length, 1, "one metrics blob");
  const blob = blobs[0] as Line & {
    _aws: {
      Timestamp: number;
      CloudWatchMetrics: {
        Namespace: string;
        Dimensions: string[][];
        Metrics: { Name: string; Unit: string }[];
      }[];
    };
  };
  assert.equal(typeof blob._aws.Timestamp, "number");
  const [directive, ...others] = blob._aws.CloudWatchMetrics;
  assert.deepEqual(others, []);
  assert.equal(directive?.Namespace, METRICS_NAMESPACE);
  assert.deepEqual(directive?.Dimensions, [["service", "stage"]]);
  assert.equal(blob.service, SERVICE_NAME);
  assert.equal(blob.stage, "local");
  const values: Record<string, number> = {};
  for (const { Name, Unit } of directive?.Metrics ?? []) {
    assert.equal(Unit, Name === "Latency" ? "Milliseconds" : "Count", Name);
    const value = blob[Name];
    assert.equal(typeof value, "number", `${Name} is one value`);
    values[Name] = value as number;
  }
  assert.ok((values.Latency ?? -1) >= 0);
  delete values.Latency;
  return values;
}

const counts = (outcome: string, extra: Partial<Record<string, number>> = {}) => ({
  Requests: 1,
  [outcome]: 1,
  Replays: 0,
  TransactionRetries: 0,
  DataFaults: 0,
  ...extra,
});

test("every outcome: one request line and one EMF blob, the request id everywhere, no token or personal data", async () => {
  const faults = faultInjector();
  const shop = await openShop(undefined, { configure: faults.configure });

  const notLoggedIn = await observed(shop, { comm_order_id: 7 }, null);
  assert.equal(notLoggedIn.code, 1001);
  assert.deepEqual(metricsBlob(notLoggedIn.lines), counts("NotLoggedIn"));
  assert.deepEqual(notLoggedIn.lines.length, 2);
  assert.deepEqual(pick(requestLine(notLoggedIn.lines)), {
    outcome: "not_logged_in",
    status: 200,
    code: 1001,
    reason: "auth.not_logged_in",
  });

  const unauthorised = await observed(shop, { comm_order_id: 7 }, 1004);
  assert.equal(unauthorised.code, 1002);
  assert.deepEqual(metricsBlob(unauthorised.lines), counts("Unauthorised"));
  assert.deepEqual(pick(requestLine(unauthorised.lines)), {
    outcome: "unauthorised",
    status: 200,
    code: 1002,
    reason: "auth.not_allowed",
    userId: 1004,
    quotationId: 7, // from the request: the quotation is never read for a user who may not order
  });

  const invalid = await observed(shop, { comm_order_id: 7, quantity: 1.5, address: NEW_ADDRESS }, 1000);
  assert.equal(invalid.code, -1);
  assert.deepEqual(metricsBlob(invalid.lines), counts("Refused"));
  assert.deepEqual(pick(requestLine(invalid.lines)), {
    outcome: "refused",
    status: 200,
    code: -1,
    reason: "field.int_range",
    userId: 1000,
  });

  // An order with a new address, after one transaction conflict the use case retries.
  let transactions = 0;
  faults.set(async (attempt, send) => {
    if (attempt.command === "TransactWriteItems" && ++transactions === 1) throw transactionConflict(attempt);
    return send();
  });
  const accepted = await observed(shop, { comm_order_id: 7, address: NEW_ADDRESS }, 1000);
  faults.clear();
  assert.equal(accepted.code, 0);
  const orderNumber = accepted.data?.order_id;
  assert.match(String(orderNumber), /^\d{16,}$/);
  assert.deepEqual(metricsBlob(accepted.lines), counts("Accepted", { TransactionRetries: 1 }));
  // Alice's quotation 7 answered with her order, accepted and then replayed.
  const aliceOrder = { status: 200, code: 0, userId: 1000, quotationId: 7, orderNumber };
  assert.deepEqual(pick(requestLine(accepted.lines)), {
    outcome: "accepted",
    ...aliceOrder,
    transactionRetries: 1,
  });

  const replayed = await observed(shop, { comm_order_id: 7, address: NEW_ADDRESS }, 1000);
  assert.deepEqual([replayed.code, replayed.data?.order_id], [0, orderNumber]);
  assert.deepEqual(metricsBlob(replayed.lines), counts("Accepted", { Replays: 1 }));
  assert.deepEqual(pick(requestLine(replayed.lines)), { outcome: "replayed", ...aliceOrder });

  // DynamoDB failing every read: a 503, counted once as Unavailable; its error line has the request id too.
  faults.set(async (attempt, send) => {
    if (attempt.command === "GetItem") throw internalError();
    return send();
  });
  const unavailable = await observed(shop, { comm_order_id: 8, goods_sku_id: 2052 }, 1001);
  faults.clear();
  await faults.settled();
  assert.deepEqual([unavailable.status, unavailable.code], [503, -1]);
  assert.deepEqual(metricsBlob(unavailable.lines), counts("Unavailable"));
  const unavailableLine = requestLine(unavailable.lines);
  assert.equal(unavailableLine.level, "ERROR");
  // Bob's quotation 8, answered 503: the platform's fault here, the stored data's below.
  const bobUnavailable = { outcome: "unavailable", status: 503, code: -1, userId: 1001, quotationId: 8 };
  assert.deepEqual(pick(unavailableLine), { ...bobUnavailable, reason: "platform_fault" });

  // A stored address that fails validation: its path and the kind of fault are logged, not the phone.
  await shop.doc.send(
    new PutCommand({
      TableName: shop.table,
      Item: {
        pk: "USER#1001",
        sk: "ADDR#5",
        entity: "Address",
        id: 5,
        user_id: 1001,
        name: "Bob",
        phone: BAD_PHONE,
        address_info: "18 Longjing Road",
        created_time: 1669000000,
      },
    }),
  );
  const faulty = await observed(shop, { comm_order_id: 8, goods_sku_id: 2052, address: { id: 5 } }, 1001);
  assert.deepEqual([faulty.status, faulty.code], [503, -1]);
  assert.deepEqual(metricsBlob(faulty.lines), counts("Unavailable", { DataFaults: 1 }));
  const faultyLine = requestLine(faulty.lines);
  assert.deepEqual(pick(faultyLine), { ...bobUnavailable, reason: "data_fault" });
  assert.deepEqual(faultyLine.dataFault, { entity: "Address", path: "phone", kind: "string" });
  const detail = faulty.lines.find((line) => line.message === "platform fault") as { error?: Line };
  assert.equal(detail.error?.message, "stored Address USER#1001/ADDR#5 is malformed: phone (string)");
});

/** The request line's own fields, zero and absent ones left out, for exact comparison. */
function pick(line: Line): Line {
  const fields = [
    "outcome",
    "status",
    "code",
    "reason",
    "userId",
    "quotationId",
    "orderNumber",
    "transactionRetries",
  ];
  return Object.fromEntries(
    fields.flatMap((key) =>
      line[key] === undefined || (key === "transactionRetries" && line[key] === 0) ? [] : [[key, line[key]]],
    ),
  );
}
