// docs/openapi.json is the contract clients read: it must be what `npm run openapi` generates now, the
// committed events must be valid (or, the refused one, invalid) requests under it, and what the real
// handler answers on DynamoDB Local must fit its response schemas.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import Ajv2020Module from "ajv/dist/2020.js";
import { signToken } from "../lib/auth/token.ts";
import { LANGUAGES } from "../lib/i18n/messages.ts";
import { OPENAPI_FILE, openApiDocument, openApiText } from "../scripts/openapi.ts";
import { INTERFACE_EXAMPLE_ANSWER } from "../scripts/openapi-examples.ts";
import { faultInjector, internalError } from "./support/faults.ts";
import { EVENT_SECRET, fixtureEvent, openShop } from "./support/shop.ts";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const document = openApiDocument();
const operation = document.paths["/api/communication/order/accept"].post;
const ajv = new Ajv2020({ strict: false, allErrors: true });
/** Compiles a schema of the document, its `#/components/...` references resolved within it. */
const compile = (schema: object) => ajv.compile({ ...schema, components: document.components });
const requestValid = compile(operation.requestBody.content["application/json"].schema);
const okValid = compile(operation.responses["200"].content["application/json"].schema);
const unavailableValid = compile(operation.responses["503"].content["application/json"].schema);
const throttledValid = compile(operation.responses["429"].content["application/json"].schema);
const gatewayFaultValid = compile(operation.responses["5XX"].content["application/json"].schema);
const contentLanguageValid = compile(operation.responses["200"].headers["Content-Language"].schema);
const { properties: orderFields } = document.components.schemas.Order;
const { properties: detailFields } = document.components.schemas.OrderDetail;
const { properties: addressFields } = document.components.schemas.OrderAddress;

test("docs/openapi.json is what npm run openapi generates from the current schema", async () => {
  const committed = await readFile(OPENAPI_FILE, "utf8");
  assert.ok(committed === openApiText(), "docs/openapi.json is stale: run npm run openapi and commit it");
  const document = JSON.parse(committed);
  assert.equal(document.openapi, "3.1.0");
  // The codes and the renewed-token header are documented.
  for (const code of ["-1", "1001", "1002", "503"]) assert.ok(document.info.description.includes(code), code);
  assert.ok(operation.responses["200"].headers["update-token"].description.includes("renewed token"));
});

test("documented: Accept-Language, Content-Language and update-token on the function's answers, API Gateway's 429 and 5xx", () => {
  const acceptLanguage = operation.parameters.find((parameter) => parameter.name === "Accept-Language");
  assert.equal(acceptLanguage?.in, "header");
  for (const word of ["zh-CN", "zh-TW", "en-US", "q=0", "Settings.language"]) {
    assert.ok(acceptLanguage?.description.includes(word), word);
  }
  for (const status of ["200", "503"] as const) {
    const { headers } = operation.responses[status];
    assert.deepEqual(headers["Content-Language"].schema, { enum: LANGUAGES }, status);
    assert.match(headers["update-token"].description, /a 503/, status);
  }
  // API Gateway's own answers carry its `message`, never the envelope.
  assert.ok(throttledValid({ message: "Too Many Requests" }), ajv.errorsText(throttledValid.errors));
  assert.equal(throttledValid({ code: -1, msg: "busy" }), false);
  assert.ok(gatewayFaultValid({ message: "Internal Server Error" }));
  assert.ok(unavailableValid({ message: "Service Unavailable" }), "API Gateway may answer 503 itself");
  assert.equal(gatewayFaultValid({ code: -1, msg: "busy" }), false);
});

test("the events' bodies are valid requests, except the one the handler refuses for its type", () => {
  const verdicts = Object.fromEntries(
    [
      "accept-interface-example",
      "accept-not-logged-in",
      "accept-quotation-with-voucher-and-address",
      "accept-quantity-not-integer",
    ].map((name) => [name, requestValid(JSON.parse(String(fixtureEvent(name).body)))]),
  );
  assert.deepEqual(verdicts, {
    "accept-interface-example": true,
    "accept-not-logged-in": true,
    "accept-quotation-with-voucher-and-address": true,
    "accept-quantity-not-integer": false,
  });
  assert.equal(requestValid({ goods_id: 188, quantity: 10_000 }), false, "bounds come through");
  assert.equal(requestValid({ goods_id: 188, address: { phone: "1".repeat(21) } }), false, "lengths too");
  assert.equal(
    requestValid({
      details: [
        { goods_id: 188, quantity: 1 },
        { goods_id: 205, quantity: 1 },
      ],
    }),
    false,
  );
  // One of comm_order_id, goods_id and details, sent and not null (request.no_target otherwise).
  assert.equal(requestValid({ remark: "hi" }), false);
  assert.equal(requestValid({ comm_order_id: null, goods_id: null, details: null }), false);
  assert.equal(requestValid({ comm_order_id: null, goods_id: 188 }), true);
  assert.equal(requestValid({ details: [{ goods_id: 188, quantity: 0 }] }), true);
  // type: goods or nothing.
  assert.equal(requestValid({ comm_order_id: 7, type: "goods" }), true);
  assert.equal(requestValid({ comm_order_id: 7, type: null }), true);
  assert.equal(requestValid({ comm_order_id: 7, type: "vip" }), false);
});

test("every field and schema is described, typed objects all the way down, no $defs, examples for each code", () => {
  const text = JSON.stringify(document);
  assert.ok(!text.includes("$defs"), "no unused $defs");
  for (const [, target] of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
    assert.ok(target && target in document.components.schemas, `$ref to ${target}`);
  }
  // Every property of every object schema has a description, wherever it is.
  const undescribed: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (typeof node !== "object" || node === null) return;
    const { properties } = node as { properties?: Record<string, { description?: string }> };
    const isExample = /\/examples?\b/.test(path);
    if (properties && !isExample) {
      for (const [name, property] of Object.entries(properties)) {
        // The anyOf branches of the request only say which of its fields must be sent.
        if (!property.description && !/anyOf\/\d$/.test(path)) undescribed.push(`${path}.${name}`);
      }
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
  };
  walk(document, "#");
  assert.deepEqual(undescribed, []);

  // data: each of the order's fields typed; the line and the snapshot typed objects.
  assert.deepEqual(Object.keys(orderFields), [
    ...Object.keys(INTERFACE_EXAMPLE_ANSWER.data),
    "comm_order_id",
    "coupon_code_id",
    "coupon_id",
    "details",
    "order_address",
  ]);
  for (const [name, field] of Object.entries({ ...orderFields, ...detailFields, ...addressFields })) {
    const { type, anyOf } = field as { type?: string; anyOf?: unknown };
    assert.ok(type || anyOf, `${name} is typed`);
  }
  assert.deepEqual(orderFields.details.items, { $ref: "#/components/schemas/OrderDetail" });
  assert.deepEqual(orderFields.order_address.anyOf, [
    { $ref: "#/components/schemas/OrderAddress" },
    { type: "null" },
  ]);
  assert.deepEqual(orderFields.type.enum, ["goods"]);

  // Examples: 0, -1, 1001 and 1002 with HTTP 200, and the 503; each valid against its schema.
  const answers = operation.responses["200"].content["application/json"].examples;
  assert.deepEqual(
    Object.values(answers).map((example) => example.value.code),
    [0, -1, 1001, 1002],
  );
  for (const [name, example] of Object.entries(answers)) {
    assert.ok(okValid(example.value), `${name}: ${ajv.errorsText(okValid.errors)}`);
  }
  const busy = operation.responses["503"].content["application/json"].examples.unavailable.value;
  assert.deepEqual(busy, { code: -1, msg: "the service is busy, please try again shortly" });
  assert.ok(unavailableValid(busy));

  // Where to send it: the local dev server and a deployed stage.
  assert.deepEqual(
    document.servers.map((server) => server.url),
    ["http://127.0.0.1:{port}", "https://{apiId}.execute-api.{region}.amazonaws.com"],
  );
});

test("the handler's answers fit the documented responses: success, each refusal, 503", async () => {
  const faults = faultInjector();
  const shop = await openShop(undefined, { configure: faults.configure });
  const answers = [
    await shop.invoke(fixtureEvent("accept-interface-example")),
    await shop.invoke(fixtureEvent("accept-quotation-with-voucher-and-address")),
    await shop.invoke(fixtureEvent("accept-not-logged-in")),
    await shop.invoke(fixtureEvent("accept-quantity-not-integer")),
    await shop.accept({ comm_order_id: 7 }, { userId: 1004 }),
  ];
  assert.deepEqual(
    answers.map((answer) => [answer.status, answer.code]),
    [
      [200, 0],
      [200, 0],
      [200, 1001],
      [200, -1],
      [200, 1002],
    ],
  );
  for (const { status: _, headers, ...body } of answers) {
    assert.ok(okValid(body), `${JSON.stringify(body).slice(0, 80)}: ${ajv.errorsText(okValid.errors)}`);
    assert.ok(contentLanguageValid(headers["content-language"]), `${headers["content-language"]}`);
  }
  // Every field the handler sends is documented, and nothing documented is missing.
  for (const answer of answers.slice(0, 2)) {
    const data = answer.data as Record<string, unknown> & {
      details: Record<string, unknown>[];
      order_address: Record<string, unknown> | null;
    };
    assert.deepEqual(Object.keys(data).sort(), Object.keys(orderFields).sort());
    assert.deepEqual(Object.keys(data.details[0] ?? {}).sort(), Object.keys(detailFields).sort());
    if (data.order_address) {
      assert.deepEqual(Object.keys(data.order_address).sort(), Object.keys(addressFields).sort());
    }
  }
  assert.ok(answers[1]?.data.order_address, "the voucher event ships to an address");
  // The documented success is the interface example as this handler answers it on the demo data.
  const example = operation.responses["200"].content["application/json"].examples.accepted.value;
  const real = answers[0]?.data as typeof example.data;
  const pick = (data: typeof example.data) => ({
    amounts: [data.origin_amount, data.amount, data.discount_amount, data.seller_id, data.seller_amount],
    who: [data.user_id, data.comm_order_id, data.type, data.remark, data.address_id, data.order_address],
    line: data.details.map((line) => [
      line.goods_id,
      line.quantity,
      line.price,
      line.origin_price,
      line.amount,
    ]),
  });
  assert.deepEqual(pick(real), pick(example.data));
  assert.deepEqual(pick(example.data), {
    amounts: [9900, 9900, 0, 15, 7920],
    who: [1000, 7, "goods", "定制商品订单", 0, null],
    line: [[188, 1, 9900, 12900, 9900]],
  });
  assert.deepEqual(
    answers.map((answer) => answer.headers["content-language"]),
    ["en-US", "en-US", "en-US", "en-US", "en-US"],
    "the tests' Accept-Language",
  );

  // A token expiring within the hour is renewed even when the platform fails after the caller's user was
  // read and found active: here the replay's read of its order (quotation 7 is accepted above).
  faults.set(async (attempt, send) => {
    if (attempt.command === "Query") throw internalError();
    return send();
  });
  const expiring = await signToken(EVENT_SECRET, 1000, Math.floor(Date.now() / 1000) + 1800);
  const { status, headers, ...unavailable } = await shop.accept(
    { comm_order_id: 7 },
    { token: expiring, acceptLanguage: "zh-TW" },
  );
  faults.clear();
  assert.equal(status, 503);
  assert.ok(unavailableValid(unavailable), ajv.errorsText(unavailableValid.errors));
  assert.equal(headers["content-language"], "zh-TW");
  assert.ok(headers["update-token"], "the 503 carries the renewed token");
  const refusal = { code: answers[3]?.code, msg: answers[3]?.msg };
  assert.equal(unavailableValid(refusal), false, "a refusal's message is not the retry message");
});
