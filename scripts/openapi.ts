// docs/openapi.json: the OpenAPI 3.1 contract, generated from the valibot request schema
// (lib/accept/request.ts) and the answer envelope (lib/http/envelope.ts, lib/errors.ts).
// `npm run openapi` rewrites it; tests/openapi.test.ts fails when the committed file is stale.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type ConversionConfig, type JsonSchema, toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { AcceptBody } from "../lib/accept/request.ts";
import { Code } from "../lib/errors.ts";
import { MAX_BODY_BYTES } from "../lib/http/body.ts";
import { formatMessage, LANGUAGES } from "../lib/i18n/messages.ts";

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

/** The request body as JSON Schema, without the `$schema` key (OpenAPI 3.1 sets the dialect). */
function requestBodySchema(): JsonSchema {
  const { $schema: _, ...schema } = toJsonSchema(AcceptBody as unknown as AnySchema, conversion);
  return schema;
}

const integer = { type: "integer" } as const;
const text = { type: "string" } as const;

/** `data` of a success: the order, as the interface document lists it (extra fields may follow). */
const order = {
  type: "object",
  description: "The order awaiting payment. Amounts are integer cents.",
  required: [
    ...["id", "created_time", "updated_time", "order_id", "payment_id", "user_id", "address_id", "remark"],
    ...["type", "status", "refund_status", "origin_amount", "amount", "paid_time", "end_time"],
    ...["deliver_time", "finished_time", "discount_amount", "seller_id", "seller_amount", "share_user_id"],
    ...["share_parent_user_id", "share_amount", "share_parent_amount", "express_company", "tracking_number"],
    ...["comm_order_id", "details", "order_address"],
  ],
  properties: {
    id: integer,
    order_id: { type: "string", pattern: "^[0-9]+$", description: "The order number." },
    payment_id: text,
    user_id: integer,
    address_id: integer,
    remark: text,
    type: { const: "goods" },
    status: { const: 0, description: "Awaiting payment." },
    refund_status: integer,
    origin_amount: integer,
    amount: integer,
    discount_amount: integer,
    seller_id: integer,
    seller_amount: integer,
    share_user_id: integer,
    share_amount: integer,
    share_parent_user_id: integer,
    share_parent_amount: integer,
    comm_order_id: integer,
    coupon_id: integer,
    coupon_code_id: integer,
    details: { type: "array", minItems: 1, maxItems: 1, items: { type: "object" } },
    order_address: { anyOf: [{ type: "object" }, { type: "null" }] },
  },
};

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
    "A renewed token, sent when the caller's expires within the hour, with any answer given after the " +
    "token was verified: a success, a refusal, or a 503. The client should store it in place of the old one.",
  schema: { type: "string" },
};

/** API Gateway's own answers (the function did not answer): a `message`, never the envelope. */
const gatewayMessage = (message: string | undefined, description: string) => ({
  title: "API Gateway",
  description,
  type: "object",
  required: ["message"],
  additionalProperties: false,
  properties: { message: message === undefined ? { type: "string" } : { const: message } },
});

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "AnqiCMS order accept",
      version: "1.0.0",
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
            description: `JSON whatever the Content-Type, at most ${MAX_BODY_BYTES / 1024} KiB. Integers are JSON numbers with an integer value: 1.0 and 1e3 read as 1 and 1000; 1.5 and "1" are refused.`,
            content: { "application/json": { schema: requestBodySchema() } },
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
                        type: "object",
                        required: ["code", "msg", "data"],
                        properties: { code: { const: Code.ok }, msg: { const: "" }, data: order },
                      },
                      {
                        title: "Refused",
                        type: "object",
                        required: ["code", "msg"],
                        additionalProperties: false,
                        properties: {
                          code: { enum: refusalCodes },
                          msg: { type: "string", minLength: 1, description: "Meant for the customer." },
                        },
                      },
                    ],
                  },
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
                        type: "object",
                        required: ["code", "msg"],
                        additionalProperties: false,
                        properties: {
                          code: { const: Code.error },
                          msg: { enum: LANGUAGES.map((language) => formatMessage(language, "service.busy")) },
                        },
                      },
                      gatewayMessage(undefined, "API Gateway's own 503, e.g. `Service Unavailable`."),
                    ],
                  },
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
      securitySchemes: {
        tokenHeader: { type: "apiKey", in: "header", name: "token" },
        tokenCookie: { type: "apiKey", in: "cookie", name: "token" },
      },
    },
  };
}

export const openApiText = () => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

if (import.meta.main) {
  await writeFile(OPENAPI_FILE, openApiText());
  console.log(`wrote ${OPENAPI_FILE}`);
}
