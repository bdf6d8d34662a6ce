// The OrderAccepted contract without a table: the pattern matcher and template interpreter the stream
// test relies on, the published schema and sample event, and that the one definition covers exactly
// the order's fields.
import assert from "node:assert/strict";
import { test } from "node:test";
import { OrderSchema } from "../lib/domain/order-records.ts";
import { type envelope, schema, schemaErrors } from "./support/order-event.ts";
import { matchesPattern, orderAccepted, renderTemplate } from "./support/pipes.ts";
import { readJson } from "./support/shop.ts";

const pattern = JSON.parse(orderAccepted.filterPattern) as Record<string, unknown>;
const record = (eventName: string, image?: Record<string, unknown>) => ({
  eventName,
  eventSource: "aws:dynamodb",
  dynamodb: { Keys: { pk: { S: "ORDER#1" }, sk: { S: "ORDER" } }, ...(image ? { NewImage: image } : {}) },
});

test("the filter keeps INSERTs of Order items and nothing else", () => {
  assert.deepEqual(pattern, { eventName: ["INSERT"], dynamodb: { NewImage: { entity: { S: ["Order"] } } } });
  const order = { entity: { S: "Order" } };
  assert.equal(matchesPattern(pattern, record("INSERT", order)), true);
  assert.equal(matchesPattern(pattern, record("MODIFY", order)), false);
  assert.equal(matchesPattern(pattern, record("REMOVE")), false);
  assert.equal(matchesPattern(pattern, record("INSERT", { entity: { S: "OrderDetail" } })), false);
  assert.equal(matchesPattern(pattern, record("INSERT", { entity: { S: "order" } })), false, "case matters");
  assert.equal(matchesPattern(pattern, record("INSERT", { entity: { N: "1" } })), false);
  assert.equal(matchesPattern(pattern, record("INSERT", {})), false);
});

test("the matcher: arrays match on any element, unknown operators are refused", () => {
  assert.equal(matchesPattern({ tags: ["b"] }, { tags: ["a", "b"] }), true);
  assert.equal(matchesPattern({ tags: ["c"] }, { tags: ["a", "b"] }), false);
  assert.equal(matchesPattern({ n: [5] }, { n: 5 }), true);
  assert.equal(matchesPattern({ n: [5] }, { n: "5" }), false);
  assert.equal(matchesPattern({ a: { b: ["x"] } }, { a: "x" }), false);
  assert.throws(() => matchesPattern({ s: [{ prefix: "O" }] }, { s: "Order" }), /operator .* not modelled/);
});

test("the template interpreter: values as JSON, strings escaped, missing paths refused", () => {
  const event = {
    x: { S: 'say "hi"\n\\ 谢谢' },
    y: { N: "9900" },
    m: { k: 1 },
    l: [{ S: "a" }, { S: "b" }],
  };
  const rendered = renderTemplate('{"a": <$.x.S>, "n": <$.y.N>, "o": <$.m>, "e": <$.l[1].S>}', event);
  assert.deepEqual(JSON.parse(rendered), { a: 'say "hi"\n\\ 谢谢', n: "9900", o: { k: 1 }, e: "b" });
  assert.throws(() => renderTemplate('{"a": <$.z.S>}', event), /\$\.z\.S is missing/);
  assert.throws(() => renderTemplate('{"a": "<$.x.S>"}', event), /quoted placeholder/);
  assert.throws(() => renderTemplate('{"a": <aws.pipes.pipe-name>}', event), /not modelled/);
});

/** The order's fields the event leaves out: internal, or customer text (docs/events.md). */
const LEFT_OUT = ["accept_fingerprint", "remark"];
/** The text attributes the template copies: each written by the service alone (digits, "goods", ""). */
const SERVICE_TEXT = ["order_id", "payment_id", "type", "express_company", "tracking_number"];

test("the one definition covers exactly the order's fields, minus the fingerprint and the remark", () => {
  assert.deepEqual([orderAccepted.source, orderAccepted.detailType], ["anqicms.orders", "OrderAccepted"]);
  const templated = [
    ...orderAccepted.inputTemplate.matchAll(/"(\w+)": <\$\.dynamodb\.NewImage\.(\w+)\.[SN]>/g),
  ];
  assert.deepEqual(
    templated.map(([, name, attribute]) => name === attribute),
    templated.map(() => true),
    "each field is the attribute of the same name",
  );
  const fields = templated.map(([, name]) => name);
  const orderFields = Object.keys(OrderSchema.entries).filter((name) => !LEFT_OUT.includes(name));
  assert.deepEqual(fields, orderFields);
  const detail = (schema.$defs as Record<string, { required: string[] }>).OrderAcceptedDetail;
  assert.deepEqual(detail?.required, orderFields);
  // Strings come only from attributes the service writes itself: nothing a customer typed.
  assert.deepEqual(
    templated.filter(([placeholder]) => placeholder.endsWith(".S>")).map(([, name]) => name),
    SERVICE_TEXT,
  );
  assert.ok(!orderAccepted.inputTemplate.includes("remark"), "no remark, however written");
});

test("the sample event in events/ is valid, and the schema refuses numbers, extra and missing fields", () => {
  const sample = readJson("docs/events/order-accepted.json") as ReturnType<typeof envelope>;
  assert.deepEqual(schemaErrors(sample), []);
  assert.equal(sample.detail.order_id, "202211232209080046");
  assert.equal(sample.detail.amount, "9900");

  const withDetail = (detail: Record<string, unknown>) => ({ ...sample, detail });
  assert.deepEqual(schemaErrors(withDetail({ ...sample.detail, amount: 9900 })), [
    "/detail/amount must be string",
  ]);
  assert.deepEqual(schemaErrors(withDetail({ ...sample.detail, phone: "13800000000" })), [
    "/detail must NOT have additional properties",
  ]);
  assert.equal("remark" in sample.detail, false);
  assert.deepEqual(schemaErrors(withDetail({ ...sample.detail, remark: "定制商品订单" })), [
    "/detail must NOT have additional properties",
  ]);
  const { order_id: _, ...withoutNumber } = sample.detail;
  assert.deepEqual(schemaErrors(withDetail(withoutNumber)), [
    "/detail must have required property 'order_id'",
  ]);
  assert.deepEqual(schemaErrors({ ...sample, source: "anqicms.other" }), [
    "/source must be equal to constant",
  ]);
  assert.deepEqual(schemaErrors(withDetail({ ...sample.detail, amount: "99.00" })), [
    '/detail/amount must match pattern "^(0|-?[1-9][0-9]*)$"',
  ]);
});
