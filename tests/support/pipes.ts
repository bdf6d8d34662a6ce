// What an EventBridge Pipe does to a DynamoDB stream record, small enough to read: the filter's event
// pattern (exact values only: the operators lib/events/order-accepted.yml uses) and the input
// template's `<$.path>` placeholders. Tested in tests/pipes-support.test.ts.
import { readFileSync } from "node:fs";
import { load } from "js-yaml";

export interface OrderEventDefinition {
  source: string;
  detailType: string;
  /** A JSON string, as AWS::Pipes::Pipe takes it. */
  filterPattern: string;
  inputTemplate: string;
}

/** The definition serverless.yml builds the pipe from. */
export const orderAccepted = load(
  readFileSync(new URL("../../lib/events/order-accepted.yml", import.meta.url), "utf8"),
) as OrderEventDefinition;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Whether `event` matches an EventBridge event pattern made of nested objects and arrays of exact
 * values: every field the pattern names must exist and equal one of the listed values (for an array
 * field, one of its elements must). Any other operator is refused rather than guessed.
 */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return false;
  return Object.entries(pattern).every(([field, rule]) => {
    const value = (event as Record<string, unknown>)[field];
    if (Array.isArray(rule)) {
      for (const allowed of rule) {
        if (typeof allowed === "object" && allowed !== null) {
          throw new Error(`pattern operator ${JSON.stringify(allowed)} is not modelled`);
        }
      }
      const candidates = Array.isArray(value) ? value : [value];
      return value !== undefined && candidates.some((candidate) => rule.includes(candidate));
    }
    if (typeof rule === "object" && rule !== null) {
      return matchesPattern(rule as Record<string, unknown>, value);
    }
    throw new Error(`pattern field ${field} must be an array or an object`);
  });
}

/** `$.a.b[0].c` → the value there, or undefined. */
function valueAt(path: string, event: unknown): unknown {
  const steps = path
    .replace(/^\$\.?/, "")
    .split(/\.|\[(\d+)\]/)
    .filter((step) => step !== undefined && step !== "");
  let value: unknown = event;
  for (const step of steps) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/**
 * Renders a Pipes input template against one record. As Pipes does, an unquoted `<$.path>` becomes the
 * value as JSON (a string quoted and escaped, an object or array as is). A path that is missing, a
 * placeholder inside quotes or a reserved variable (`<aws.pipes.…>`) is refused: our templates use none.
 */
export function renderTemplate(template: string, event: unknown): string {
  return template.replace(/(")?<([^<>]*)>(")?/g, (_match, before, path: string, after) => {
    if (!path.startsWith("$")) throw new Error(`template variable <${path}> is not modelled`);
    if (before || after) throw new Error(`quoted placeholder "<${path}>" is not modelled`);
    const value = valueAt(path, event);
    if (value === undefined) throw new Error(`template path ${path} is missing from the record`);
    return JSON.stringify(value as Json);
  });
}
