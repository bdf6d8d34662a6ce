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
import { faultInjector, internalError } from "./support/faults.ts";
import { EVENT_SECRET, fixtureEvent, openShop } from "./support/shop.ts";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const operation = openApiDocument().paths["/api/communication/order/accept"].post;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const requestValid = ajv.compile(operation.requestBody.content["application/json"].schema);
const okValid = ajv.compile(operation.responses["200"].content["application/json"].schema);
const unavailableValid = ajv.compile(operation.responses["503"].content["application/json"].schema);
const throttledValid = ajv.compile(operation.responses["429"].content["application/json"].schema);
const gatewayFaultValid = ajv.compile(operation.responses["5XX"].content["application/json"].schema);
const contentLanguageValid = ajv.compile(operation.responses["200"].headers["Content-Language"].schema);

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
  assert.deepEqual(
    answers.map((answer) => answer.headers["content-language"]),
    ["en-US", "en-US", "en-US", "en-US", "en-US"],
    "the tests' Accept-Language",
  );

  faults.set(async () => {
    throw internalError();
  });
  // A token expiring within the hour is renewed even when the platform then fails.
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
