// The request body before the use case sees it: bounded in size, strict about integers, validated.
import type { MiddlewareObj } from "@middy/core";
import type { Context } from "aws-lambda";
import { Refusal } from "../errors.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export function bodyLimit(
  maxBytes = MAX_BODY_BYTES,
): MiddlewareObj<{ body?: unknown; isBase64Encoded?: boolean }> {
  return {
    name: "bodyLimit",
    before: ({ event }) => {
      const body = typeof event.body === "string" ? event.body : "";
      const bytes = event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
      if (bytes > maxBytes) throw new Refusal("body.too_large", { max: maxBytes / 1024 });
    },
  };
}

/** A number written as anything but a plain integer literal (1.5, 1.0, 1e3), kept apart from integers. */
export class NonIntegerLiteral {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

/**
 * JSON.parse reads `1e3` and `1.0` as the integers 1000 and 1, but the contract wants JSON integers.
 * The reviver sees each number's source text; such numbers become NonIntegerLiteral, which every
 * integer field then refuses.
 */
function integerLiterals(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === "number" && context?.source !== undefined && !/^-?\d+$/.test(context.source)) {
    return new NonIntegerLiteral(value);
  }
  return value;
}

/**
 * Parses the body as JSON whatever its content type (AnqiCMS reads JSON the same way). Our own, because
 * @middy/http-json-body-parser calls the reviver without the source text the check above needs.
 * JSON.parse makes `__proto__` an own property, never a prototype, so no key needs refusing.
 */
export function jsonBody(): MiddlewareObj<{ body?: unknown; isBase64Encoded?: boolean }> {
  return {
    name: "jsonBody",
    before: ({ event }) => {
      const text = typeof event.body === "string" ? event.body : "";
      try {
        event.body = JSON.parse(
          event.isBase64Encoded ? Buffer.from(text, "base64").toString("utf8") : text,
          integerLiterals,
        );
      } catch {
        throw new Refusal("body.not_object");
      }
    },
  };
}

export interface InputContext<T> extends Context {
  /** The validated, typed request. */
  input: T;
}

/** Validates the parsed body into the use case's typed request (or refuses, naming the field). */
export function validateBody<T>(
  parse: (body: unknown) => T,
): MiddlewareObj<{ body?: unknown }, unknown, Error, InputContext<T>> {
  return {
    name: "validateBody",
    before: ({ event, context }) => {
      context.input = parse(event.body);
    },
  };
}
