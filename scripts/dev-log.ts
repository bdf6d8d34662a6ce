// npm run dev's terminal: one short line per request instead of the Lambda's structured JSON (kept as is
// for deployed stages) plus its metrics blob and serverless-offline's two lines. DEV_LOG=json shows all of
// them unchanged. A short line holds the time, the code, the message key or the order number, the
// duration and any replay or transaction retry: never a user, a token or anything a customer sent.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

export const DEV_LOG_MODES = ["short", "json"] as const;
export type DevLogMode = (typeof DEV_LOG_MODES)[number];

/** Terminals wrap past this; every short line stays under it. */
export const SHORT_LINE_MAX = 159;

export function devLogMode(raw: string | undefined): DevLogMode {
  const mode = DEV_LOG_MODES.find((candidate) => candidate === (raw ?? "short"));
  if (!mode) throw new Error(`DEV_LOG must be ${DEV_LOG_MODES.join(" or ")}, not "${raw}"`);
  return mode;
}

/** serverless-offline's notices around each invocation (and its blank lines), which the short line replaces. */
const OFFLINE_REQUEST = [/^$/, /^[A-Z]+ \/\S* \(λ: \w+\)$/, /^\(λ: \w+\) RequestId: /];

interface Entry {
  level?: string;
  message?: string;
  timestamp?: string;
  [field: string]: unknown;
}

const clock = (timestamp: string | undefined) =>
  (timestamp ? new Date(timestamp) : new Date()).toTimeString().slice(0, 8);

const cut = (line: string) => (line.length > SHORT_LINE_MAX ? `${line.slice(0, SHORT_LINE_MAX - 1)}…` : line);

/** The request line (lib/http/observe.ts) as one short line. */
function requestLine(entry: Entry): string {
  const outcome = entry.status === 503 ? `HTTP 503 ${entry.reason}` : `code ${entry.code}`;
  const what =
    entry.code === 0 && entry.status !== 503
      ? `${entry.outcome === "replayed" ? "replayed " : ""}order ${entry.orderNumber}`
      : entry.status === 503
        ? ""
        : String(entry.reason);
  const retries = Number(entry.transactionRetries) || 0;
  const fault = entry.dataFault as { entity?: string; path?: string; kind?: string } | undefined;
  return [
    `${clock(entry.timestamp)} ${outcome}${what ? ` ${what}` : ""} ${entry.durationMs} ms`,
    retries > 0 ? `, ${retries} transaction ${retries === 1 ? "retry" : "retries"}` : "",
    fault ? `, data fault ${fault.entity}.${fault.path} (${fault.kind})` : "",
  ].join("");
}

/** Any other log line: its level and message, and an error's name, message and place. */
function otherLine(entry: Entry): string {
  const error = entry.error as { name?: string; message?: string; location?: string } | undefined;
  const place = error?.location ? ` (${error.location.replace(/^.*?\/(lib|handlers)\//, "$1/")})` : "";
  const cause = error ? `: ${error.name}: ${error.message}${place}` : "";
  return `${clock(entry.timestamp)} ${entry.level} ${entry.message}${cause}`;
}

/** One line as the short view shows it, or undefined to leave it out. */
export function shortLine(line: string): string | undefined {
  if (OFFLINE_REQUEST.some((pattern) => pattern.test(line))) return undefined;
  let entry: Entry;
  try {
    entry = JSON.parse(line) as Entry;
  } catch {
    return line; // not ours: serverless-offline's, esbuild's, a stack trace
  }
  if (typeof entry !== "object" || entry === null) return line;
  if ("_aws" in entry) return undefined; // the metrics blob: CloudWatch's, not a person's
  if (entry.message === "request" && "code" in entry) return cut(requestLine(entry));
  if (entry.level && entry.message) return cut(otherLine(entry));
  return line;
}

/** Copies `from` to `to` line by line in the short view. */
export function pipeShort(from: Readable, to: Writable): void {
  createInterface({ input: from, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
    const shown = shortLine(line);
    if (shown !== undefined) to.write(`${shown}\n`);
  });
}
