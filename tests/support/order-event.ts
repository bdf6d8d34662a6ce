// The OrderAccepted event as consumers see it: what the pipe makes of a stream record, wrapped as
// EventBridge delivers it, and the published schema that must accept it.
import { randomUUID } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import { orderAccepted, renderTemplate } from "./pipes.ts";
import { readJson } from "./shop.ts";

export const schema = readJson("docs/events/order-accepted.schema.json") as Record<string, unknown>;
export const validateEvent = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

export type Detail = Record<string, unknown>;

/** The pipe's transformation of one stream record: the event's detail. */
export const detailOf = (record: unknown): Detail =>
  JSON.parse(renderTemplate(orderAccepted.inputTemplate, record)) as Detail;

/** The envelope EventBridge puts around a detail the pipe sends to the bus. */
export function envelope(detail: Detail) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": orderAccepted.detailType,
    source: orderAccepted.source,
    account: "123456789012",
    time: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    region: "us-east-1",
    resources: [],
    detail,
  };
}

/** Validates, and on failure names what ajv found, so that the assertion says why. */
export function schemaErrors(event: unknown): string[] {
  return validateEvent(event)
    ? []
    : (validateEvent.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
