// docs/openapi.json: the OpenAPI 3.1 contract, generated from the valibot request schema
// (lib/accept/request.ts) and the answer envelope (lib/http/envelope.ts, lib/errors.ts).
// `npm run openapi` rewrites it; tests/openapi.test.ts fails when the committed file is stale.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type ConversionConfig, type JsonSchema, toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { AcceptBody } from "../lib/accept/request.ts";
import { Code } from "../lib/errors.ts";
import { formatMessage, LANGUAGES } from "../lib/i18n/messages.ts";
import { model } from "../lib/store/model.ts";
import { answerExamples, unavailableExample } from "./openapi-examples.ts";
import {
  ADDRESS_FIELDS,
  DETAIL_LINE_FIELDS,
  describe,
  orderAddressSchema,
  orderDetailSchema,
  orderSchema,
  REQUEST_FIELDS,
  requestBodyDescription,
} from "./openapi-schemas.ts";

export const OPENAPI_FILE = fileURLToPath(new URL("../docs/openapi.json", import.meta.url));
const PATH = "/api/communication/order/accept";

type AnySchema = v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>;

/**
 * Tolerant on purpose: the request schema changes often, and some of valibot cannot be said in JSON
 * Schema. `lazy` (our "object but not array" guard) is converted through the schema it returns for an
 * object; custom `check`s (but code-point lengths) and transformations (`trim`) are left out, since the handler enforces them
 * anyway and names the field in its -1 message; anything else unknown is skipped, not fatal.
 */
const conversion: ConversionConfig = {
  target: "draft-2020-12",
  errorMode: "ignore",
  ignoreActions: ["trim"],
  // JSON Schema's maxLength counts code points, as lib/domain/text.ts's maxCodePoints does; other checks
  // have nothing JSON Schema can say.
  overrideAction: ({ valibotAction, jsonSchema }) => {
    if (valibotAction.type !== "check") return undefined;
    const { maxCodePoints } = valibotAction as { maxCodePoints?: number };
    return maxCodePoints === undefined ? jsonSchema : { ...jsonSchema, maxLength: maxCodePoints };
  },
  overrideSchema: ({ valibotSchema }) => {
    const schema = valibotSchema as AnySchema & { getter?: (input: unknown) => AnySchema };
    if (schema.type !== "lazy" || !schema.getter) return undefined;
    const { $schema: _, ...inner } = toJsonSchema(schema.getter({}), conversion);
    return inner;
  },
};

type Schema = Record<string, unknown>;

/** valibot's `lazy` leaves `$defs` nobody refers to: the document has none. */
function withoutDefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutDefs);
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== "$defs")
      .map(([key, value]) => [key, withoutDefs(value)]),
  );
}

/** The nullish field's schema proper (valibot writes `anyOf: [schema, {type: null}]`). */
const nonNull = (schema: Schema) => (schema.anyOf as Schema[])[0] as Schema;

/**
 * The request body as JSON Schema (without `$schema`: OpenAPI 3.1 sets the dialect), described field by
 * field, with what JSON Schema can say beyond valibot's types: `type` is an enum, and one of
 * comm_order_id, goods_id and details must be sent (not null), as parseAcceptRequest requires.
 */
function requestBodySchema(): Schema {
  const {
    $schema: _,
    required,
    ...schema
  } = withoutDefs(toJsonSchema(AcceptBody as unknown as AnySchema, conversion)) as JsonSchema & Schema;
  const properties = schema.properties as Record<string, Schema>;
  properties.type = { anyOf: [{ type: "string", enum: ["goods"] }, { type: "null" }] };
  describe(schema, REQUEST_FIELDS, "request");
  describe(nonNull(properties.details as Schema).items as Schema, DETAIL_LINE_FIELDS, "details[]");
  describe(nonNull(properties.address as Schema), ADDRESS_FIELDS, "address");
  const named = (field: string, type: string) => ({ required: [field], properties: { [field]: { type } } });
  // allOf, so that generated clients type it as the fields AND one of the three (openapi-typescript
  // turns anyOf beside properties into a union instead).
  return {
    title: "AcceptRequest",
    description: "What to accept and how: the quotation, the remark, a coupon, the address.",
    allOf: [
      { ...schema, ...(Array.isArray(required) && required.length > 0 ? { required } : {}) },
      {
        description: "One of comm_order_id, goods_id and details names the quotation (null is not sent).",
        anyOf: [named("comm_order_id", "integer"), named("goods_id", "integer"), named("details", "array")],
      },
    ],
  };
}

/** Every property required: the handler always sends every field. */
const allRequired = <S extends { properties: object }>(schema: S) => ({
  ...schema,
  required: Object.keys(schema.properties),
});

const refusalCodes = [Code.error, Code.notLoggedIn, Code.unauthorised];

/** Every answer of the function names its language (lib/http/envelope.ts; docs/messages.md). */
const contentLanguage = {
  description:
    "The language of `msg` (on a success too, where `msg` is empty): chosen from Accept-Language, else " +
    "the site's Settings.language when read (by this request, or by this container within its cache's TTL), " +
    "else the site's language as deployed (SITE_LANGUAGE, zh-CN by default).",
  schema: { enum: LANGUAGES },
};

/** Sent with any answer of the function once the caller's token was verified and renewed. */
const updateToken = {
  description:
    "A renewed token, sent when the caller's expires within the hour, with any answer given once the " +
    "caller's user was read and found active (status 1): a success, a refusal found after that, or a 503. " +
    "A deleted, banned or pending user (1001, 1002) and a request refused before the user was read (its " +
    "body, say) get none. The client should store it in place of the old one.",
  schema: { type: "string" },
};

/** API Gateway's own answers (the function did not answer): a `message`, never the envelope. */
const gatewayMessage = (message: string | undefined, description: string) => ({
  title: "API Gateway",
  description,
  type: "object",
  required: ["message"],
  additionalProperties: false,
  properties: {
    message: {
      type: "string",
      ...(message === undefined ? {} : { const: message }),
      description: "API Gateway's text, in English.",
    },
  },
});

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "AnqiCMS order accept",
      version: "1.0.0",
      // The repository grants no licence: the shop's own API, not published for reuse (SPDX LicenseRef-).
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
      description:
        "A logged-in customer accepts a merchant's quotation and gets an order awaiting payment. " +
        "Every answer is the AnqiCMS envelope {code, msg, data}. Contract outcomes are HTTP 200 and " +
        "are told apart by `code`: 0 success; -1 refused, `msg` names the field or the rule; 1001 not " +
        "logged in (token missing, invalid or expired, or the user unknown); 1002 the account may not " +
        "place orders. HTTP 503 (code -1) means the platform failed and nothing was written: retry " +
        "later; an identical retry of an accepted quotation answers the same order. Messages are in " +
        "zh-CN, zh-TW or en-US (Accept-Language; Content-Language says which). API Gateway answers " +
        "429 when the stage's throttling refuses a request, and 5xx of its own with a `message` body " +
        "when the function did not answer. " +
        "Generated by `npm run openapi`: do not edit by hand.",
    },
    servers: [
      {
        url: "http://127.0.0.1:{port}",
        description: "`npm run dev` on this machine (serverless-offline; PORT, default 3000).",
        variables: { port: { default: "3000", description: "The PORT npm run dev was started with." } },
      },
      {
        url: "https://{apiId}.execute-api.{region}.amazonaws.com",
        description: "A deployed stage: the stack output HttpApiUrl (or the custom domain in front of it).",
        variables: {
          apiId: { default: "abcdef1234", description: "The HTTP API's id, from HttpApiUrl." },
          region: {
            default: "ap-east-1",
            enum: ["ap-east-1", "us-east-1"],
            description: "The stage's region: prod ap-east-1, dev us-east-1.",
          },
        },
      },
    ],
    paths: {
      [PATH]: {
        post: {
          operationId: "acceptQuotation",
          summary: "Accept a quotation: it becomes an order awaiting payment",
          parameters: [
            {
              name: "token",
              in: "header",
              required: false,
              description:
                "The AnqiCMS login token (any header case). Without it, the `token` cookie is read.",
              schema: { type: "string" },
            },
            {
              name: "Accept-Language",
              in: "header",
              required: false,
              description:
                "The language of `msg`: zh-CN, zh-TW or en-US, with q-values (RFC 9110), e.g. " +
                "`en-US,en;q=0.9`. zh, zh-Hans and other Chinese regions mean zh-CN; zh-Hant, zh-HK and " +
                "zh-MO mean zh-TW; en and any en-* mean en-US. The highest q wins, equal q-values keep the " +
                "header's order, q=0 refuses a language. Without one of ours: the site's " +
                "Settings.language, else zh-CN.",
              schema: { type: "string" },
              example: "en-US,en;q=0.9",
            },
          ],
          security: [{ tokenHeader: [] }, { tokenCookie: [] }],
          requestBody: {
            required: true,
            description: requestBodyDescription,
            content: { "application/json": { schema: { $ref: "#/components/schemas/AcceptRequest" } } },
          },
          responses: {
            "200": {
              description: "An answer of the contract: success (code 0) or a refusal (-1, 1001, 1002).",
              headers: { "Content-Language": contentLanguage, "update-token": updateToken },
              content: {
                "application/json": {
                  schema: {
                    oneOf: [
                      {
                        title: "Accepted",
                        description:
                          "The order was accepted now, or is the one an identical earlier request accepted.",
                        type: "object",
                        required: ["code", "msg", "data"],
                        properties: {
                          code: { type: "integer", const: Code.ok, description: "0: success." },
                          msg: { type: "string", const: "", description: "Empty on a success." },
                          data: { $ref: "#/components/schemas/Order", description: "The order." },
                        },
                      },
                      {
                        title: "Refused",
                        description: "Nothing was written.",
                        type: "object",
                        required: ["code", "msg"],
                        additionalProperties: false,
                        properties: {
                          code: {
                            type: "integer",
                            enum: refusalCodes,
                            description:
                              "-1: the request or a rule refused it (msg says which); 1001: not logged in; " +
                              "1002: the account may not place orders.",
                          },
                          msg: {
                            type: "string",
                            minLength: 1,
                            description:
                              "Meant for the customer, in the Content-Language; -1 names the field.",
                          },
                        },
                      },
                    ],
                  },
                  examples: answerExamples(),
                },
              },
            },
            "429": {
              description:
                "API Gateway's stage throttling refused the request before the function ran: nothing " +
                "was done. Retry after a short, growing wait.",
              content: {
                "application/json": {
                  schema: gatewayMessage("Too Many Requests", "API Gateway's throttling answer."),
                },
              },
            },
            "503": {
              description:
                "The platform failed (DynamoDB unavailable or too slow). Nothing was written: retry later. " +
                "Usually the function's envelope, with Content-Language (and update-token when the token " +
                "was renewed); API Gateway may also answer 503 itself, with a `message`.",
              headers: {
                "Content-Language": {
                  ...contentLanguage,
                  description: `${contentLanguage.description} Not on API Gateway's own 503.`,
                },
                "update-token": updateToken,
              },
              content: {
                "application/json": {
                  schema: {
                    oneOf: [
                      {
                        title: "Unavailable",
                        description: "The function's own 503: nothing was written.",
                        type: "object",
                        required: ["code", "msg"],
                        additionalProperties: false,
                        properties: {
                          code: { type: "integer", const: Code.error, description: "-1, with HTTP 503." },
                          msg: {
                            type: "string",
                            enum: LANGUAGES.map((language) => formatMessage(language, "service.busy")),
                            description: "Retry later, in the Content-Language.",
                          },
                        },
                      },
                      gatewayMessage(undefined, "API Gateway's own 503, e.g. `Service Unavailable`."),
                    ],
                  },
                  examples: { unavailable: unavailableExample() },
                },
              },
            },
            "5XX": {
              description:
                "API Gateway's own answer when the function failed without answering (a crash, the " +
                "timeout, a throttled invocation): 500 `Internal Server Error` and the like, never the " +
                "envelope. Whether the order was written is not known: retry the identical request, " +
                "which answers the same order if it was.",
              content: {
                "application/json": {
                  schema: gatewayMessage(undefined, 'e.g. {"message":"Internal Server Error"}'),
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        AcceptRequest: requestBodySchema(),
        Order: { title: model.order.name, ...allRequired(orderSchema) },
        OrderDetail: { title: model.orderDetail.name, ...allRequired(orderDetailSchema) },
        OrderAddress: { title: model.orderAddress.name, ...allRequired(orderAddressSchema) },
      },
      securitySchemes: {
        tokenHeader: {
          type: "apiKey",
          in: "header",
          name: "token",
          description: "The AnqiCMS login token (a JWT, HS256), as AnqiCMS front ends send it.",
        },
        tokenCookie: {
          type: "apiKey",
          in: "cookie",
          name: "token",
          description: "The same token in the `token` cookie, read when the header is absent.",
        },
      },
    },
  };
}

export const openApiText = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

if (import.meta.main) {
  await writeFile(OPENAPI_FILE, openApiText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
