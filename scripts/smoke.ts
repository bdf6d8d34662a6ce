// A check after each deploy: `npm run smoke -- <base-url> [--origin <origin>]`.
// The route answers the 1001 envelope without a token (the function runs and reaches its code) and to a
// token signed with a throwaway secret (the function read its own secret to refuse it: a missing SSM
// parameter answers 503 instead), the CORS preflight admits the storefront's origin, and the latency is
// printed. No valid token is sent and nothing is written. Exits 1 on the first failed check.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { signToken } from "../lib/auth/token.ts";

const PATH = "/api/communication/order/accept";
/** Requests timed after the first (which may meet a cold start). */
const WARM_REQUESTS = 5;

interface Timed {
  response: Response;
  text: string;
  ms: number;
}

async function timed(url: string, init: RequestInit): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    return { response, text, ms: performance.now() - started };
  } catch (error) {
    fail(`${init.method} ${url}: ${unreachable(error)}`);
  }
}

/** Why a request got no answer, in one line (fetch hides it in `cause`). */
function unreachable(error: unknown): string {
  const { name, message, cause } = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (name === "TimeoutError") return "no answer within 30 s";
  switch (cause?.code) {
    case "ECONNREFUSED":
      return "connection refused: nothing listens there (is the URL right, the stage deployed?)";
    case "ENOTFOUND":
      return "host not found (is the URL right?)";
    case "ECONNRESET":
      return "the connection was reset";
    default:
      return `no answer (${cause?.code ?? cause?.message ?? message ?? String(error)})`;
  }
}

function fail(message: string): never {
  console.error(`FAIL ${message}`);
  process.exit(1);
}

const notLoggedIn = (url: string, origin: string | undefined, token?: string) =>
  timed(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(origin ? { origin } : {}),
      ...(token ? { token } : {}),
    },
    body: JSON.stringify({ comm_order_id: 1 }),
  });

/** The 1001 envelope: HTTP 200, code 1001, a message, no data. */
function checkNotLoggedIn({ response, text }: Timed, what = "without a token"): string {
  let body: { code?: unknown; msg?: unknown; data?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    fail(`POST ${PATH} answered HTTP ${response.status} with no JSON: ${text.slice(0, 200)}`);
  }
  if (response.status !== 200 || body.code !== 1001 || typeof body.msg !== "string" || !body.msg) {
    fail(
      `POST ${PATH} ${what}: expected HTTP 200 {code: 1001}, got HTTP ${response.status} ${text.slice(0, 200)}`,
    );
  }
  if (body.data !== undefined) fail(`the 1001 answer carries data: ${text.slice(0, 200)}`);
  return body.msg;
}

async function checkPreflight(url: string, origin: string): Promise<number> {
  const preflight = await timed(url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type,token",
    },
  });
  const allowed = preflight.response.headers.get("access-control-allow-origin");
  if (preflight.response.status >= 300 || (allowed !== origin && allowed !== "*")) {
    fail(
      `the preflight from ${origin} is refused (HTTP ${preflight.response.status}, ` +
        `access-control-allow-origin: ${allowed ?? "none"}): add it to corsOrigins`,
    );
  }
  const headers = (preflight.response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
  if (!headers.split(",").some((header) => header.trim() === "token")) {
    fail(
      `the preflight does not allow the token header (access-control-allow-headers: ${headers || "none"})`,
    );
  }
  return preflight.ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { origin: { type: "string" } },
  });
  const [base] = positionals;
  if (!base || positionals.length > 1) fail("usage: npm run smoke -- <base-url> [--origin <origin>]");
  let url: string;
  try {
    url = new URL(PATH, base.endsWith("/") ? base : `${base}/`).href;
  } catch {
    fail(`${base} is not a URL`);
  }
  const { origin } = values;

  const first = await notLoggedIn(url, origin);
  const msg = checkNotLoggedIn(first);
  console.log(`ok   POST ${PATH} without a token: HTTP 200 code 1001 "${msg}" (${first.ms.toFixed(0)} ms)`);
  // Well-formed but signed with a secret nobody has: refusing it takes the function's own secret.
  const stranger = await signToken(
    randomBytes(32).toString("base64url"),
    1,
    Math.floor(Date.now() / 1000) + 600,
  );
  const forged = await notLoggedIn(url, origin, stranger);
  checkNotLoggedIn(forged, "with a token signed by another secret (503: the token secret cannot be read)");
  console.log(
    `ok   POST ${PATH} with a token signed by another secret: HTTP 200 code 1001, the secret was read (${forged.ms.toFixed(0)} ms)`,
  );
  if (origin) {
    const allowed = first.response.headers.get("access-control-allow-origin");
    if (allowed !== origin && allowed !== "*") {
      fail(`the answer to ${origin} carries no access-control-allow-origin: browsers would not read it`);
    }
    const ms = await checkPreflight(url, origin);
    console.log(`ok   preflight from ${origin} admitted, token header allowed (${ms.toFixed(0)} ms)`);
  }
  const warm: number[] = [];
  for (let i = 0; i < WARM_REQUESTS; i++) {
    const next = await notLoggedIn(url, origin);
    checkNotLoggedIn(next);
    warm.push(next.ms);
  }
  console.log(
    `latency: first ${first.ms.toFixed(0)} ms; next ${WARM_REQUESTS}: median ${median(warm).toFixed(0)} ms, ` +
      `max ${Math.max(...warm).toFixed(0)} ms`,
  );
}

await main();
