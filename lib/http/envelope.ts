// The one place that shapes every answer: the AnqiCMS envelope {code, msg, data}. Contract outcomes
// are HTTP 200 (AnqiCMS clients read `code`); platform faults are 503 with a retry message. Nothing
// internal (stack, AWS error text) ever reaches the client.
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { Code, RETRY_LATER, Refusal } from "../errors.ts";
import type { Logger } from "../log.ts";

interface EnvelopeContext {
  renewedToken?: string;
}

function respond(context: EnvelopeContext, statusCode: number, body: object) {
  const { renewedToken } = context;
  return {
    statusCode,
    headers: {
      "content-type": "application/json; charset=utf-8",
      ...(renewedToken ? { "update-token": renewedToken } : {}),
    },
    body: JSON.stringify(body),
  } satisfies APIGatewayProxyResultV2;
}

export function envelope(logger: Logger): MiddlewareObj {
  return {
    name: "envelope",
    after: (request) => {
      request.response = respond(request.context as EnvelopeContext, 200, {
        code: Code.ok,
        msg: "",
        data: request.response,
      });
    },
    onError: (request) => {
      const { error } = request;
      if (error instanceof Refusal) {
        request.response = respond(request.context as EnvelopeContext, 200, {
          code: error.code,
          msg: error.message,
        });
      } else {
        logger.error("platform fault", { error });
        request.response = respond(request.context as EnvelopeContext, 503, {
          code: Code.error,
          msg: RETRY_LATER,
        });
      }
    },
  };
}
