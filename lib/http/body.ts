// The request body around @middy/http-json-body-parser (which parses it, in lib/app/accept-handler.ts):
// bounded in decoded bytes and in nesting before parsing, the parser's own errors made `-1` refusals,
// then validated.
import type { MiddlewareObj } from "@middy/core";
import { Refusal } from "../errors.ts";
import type { RequestContext } from "./context.ts";

export const MAX_BODY_BYTES = 64 * 1024;
/** Our request is 3 levels deep; clients' extras (cart_ids…) add a few. Deeper is refused before parsing. */
export const MAX_BODY_DEPTH = 32;

const PARSER = "@middy/http-json-body-parser";

interface BodyEvent {
  body?: unknown;
  isBase64Encoded?: boolean;
}

/**
 * At most 64 KiB of decoded bytes, exactly (a base64 body is measured after decoding). A base64 body is
 * decoded here, once, so that the parser and everything after it read the text that was measured.
 */
export function bodyLimit({ maxBytes = MAX_BODY_BYTES } = {}): MiddlewareObj<BodyEvent> {
  const refusal = () => new Refusal("body.too_large", { max: maxBytes / 1024 });
  return {
    name: "bodyLimit",
    before: ({ event }) => {
      if (typeof event.body !== "string") return;
      if (event.isBase64Encoded) {
        // Four base64 characters carry three bytes: a text this long cannot decode to maxBytes or fewer.
        if (event.body.length > Math.ceil(maxBytes / 3) * 4 + 1024) throw refusal();
        const decoded = Buffer.from(event.body, "base64");
        if (decoded.length > maxBytes) throw refusal();
        event.body = decoded.toString("utf8");
        event.isBase64Encoded = false;
      } else if (Buffer.byteLength(event.body, "utf8") > maxBytes) {
        throw refusal();
      }
    },
  };
}

/** How deeply `text`'s arrays and objects nest, counted outside strings; stops once past `limit`. */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * Refuses a body nested deeper than MAX_BODY_DEPTH before the parser sees it: the parser's reviver
 * recurses, so a 64 KiB body of brackets would otherwise exhaust the stack and read as "malformed".
 */
export function nestingLimit({ maxDepth = MAX_BODY_DEPTH } = {}): MiddlewareObj<BodyEvent> {
  return {
    name: "nestingLimit",
    before: ({ event }) => {
      if (typeof event.body === "string" && nestingDepth(event.body, maxDepth) > maxDepth) {
        throw new Refusal("body.too_deep", { max: maxDepth });
      }
    },
  };
}

/** The parser's own errors (malformed JSON, forbidden keys such as __proto__) as `-1` refusals. */
export function parserRefusals(): MiddlewareObj {
  return {
    name: "parserRefusals",
    onError: (request) => {
      const { error } = request;
      const cause = (error as { cause?: { package?: string; data?: unknown } } | null)?.cause;
      if (cause?.package !== PARSER) return;
      request.error =
        error?.message === "Forbidden key in JSON body"
          ? new Refusal("body.forbidden_key", { key: String(cause.data) })
          : new Refusal("body.not_object");
    },
  };
}

/** Validates the parsed body into the use case's typed request (or refuses, naming the field). */
export function validateBody(options: {
  parse: (body: unknown) => RequestContext["input"];
}): MiddlewareObj<{ body?: unknown }, unknown, Error, RequestContext> {
  return {
    name: "validateBody",
    before: ({ event, context }) => {
      context.input = options.parse(event.body);
    },
  };
}
