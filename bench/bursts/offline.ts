// The same scenarios through `npm run dev` (serverless-offline, which runs each concurrent request in a
// worker of its own, cold when new, with the function's 6 s timeout), started fresh for each scenario
// on free ports, against the bench's DynamoDB Local. The handler's own log line per request gives the
// transaction retries.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/dynamodb-local.ts";
import { SECRET, tokenFor } from "../../tests/support/flash-sale.ts";
import type { Counters, Outcome } from "./figures.ts";
import { newCounters } from "./figures.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface DevServer {
  url: string;
  /** Its process id: npm run dev, whose descendants are serverless-offline and its workers. */
  pgid: number | undefined;
  counters: () => Counters;
  stop: () => Promise<void>;
}

export async function startDev(endpoint: string, table: string, fixture: unknown): Promise<DevServer> {
  const dir = await mkdtemp(join(tmpdir(), "bench-burst-"));
  const file = join(dir, "fixture.json");
  await writeFile(file, JSON.stringify(fixture));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(root, "scripts/dev.ts")], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      TABLE_NAME: table,
      TOKEN_SECRET: SECRET,
      DYNAMODB_ENDPOINT: endpoint,
      FIXTURE: file,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const counters = newCounters();
  let output = "";
  let buffered = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      try {
        const entry = JSON.parse(line) as { message?: string; transactionRetries?: number };
        if (entry.message === "request") counters.transactionRetries += entry.transactionRetries ?? 0;
      } catch {
        // not ours
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // gone
      }
      await Promise.race([exited, sleep(10_000)]);
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!output.includes("Ready: POST")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm run dev did not start:\n${output.slice(-2000)}`);
    }
    await sleep(100);
  }
  return {
    url: `http://127.0.0.1:${port}/api/communication/order/accept`,
    pgid: child.pid,
    counters: () => counters,
    stop,
  };
}

export async function post(url: string, userId: number, body: unknown): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "accept-language": "en-US",
        token: await tokenFor(userId),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    try {
      const answer = JSON.parse(text) as { code: number; msg: string; data?: { order_id?: string } };
      // serverless-offline answers its own timeout with HTTP 200 and this body: counted as the 504 it is.
      if (text.includes("[504] - Lambda timeout"))
        return { status: 504, code: Number.NaN, msg: "[504] - Lambda timeout", ms };
      if (typeof answer.code !== "number")
        return { status: response.status, code: Number.NaN, msg: text.slice(0, 80), ms };
      return {
        status: response.status,
        code: answer.code,
        msg: answer.msg,
        ms,
        orderNumber: answer.data?.order_id,
      };
    } catch {
      return { status: response.status, code: Number.NaN, msg: text.slice(0, 60), ms };
    }
  } catch (error) {
    return { status: 0, code: Number.NaN, msg: (error as Error).name, ms: performance.now() - started };
  }
}
