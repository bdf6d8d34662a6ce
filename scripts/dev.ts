// npm run dev: DynamoDB Local, the table and a fixture, then serverless-offline, in one command.
// Environment (rule 9, docs/accept.md): PORT, TABLE_NAME, TOKEN_SECRET, FIXTURE, DYNAMODB_ENDPOINT, DYNAMODB_PATH,
// DEV_LOG (short lines per request, or json: scripts/dev-log.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { weakSecret } from "../lib/auth/secrets.ts";
import { createDocumentClient } from "../lib/store/client.ts";
import type { FixtureItem } from "../lib/store/fixture.ts";
import { ensureTable } from "../lib/store/table.ts";
import { bannerLines } from "./dev-banner.ts";
import { type DevLogMode, devLogMode, pipeShort } from "./dev-log.ts";
import { DEFAULT_DEV_PORT, recordDevServer } from "./dev-registry.ts";
import { assertJava, type DynamoDbLocal, freePort, startDynamoDbLocal } from "./dynamodb-local.ts";
import { readFixtureFile } from "./fixture-file.ts";
import { describeSeed, SeedRefused, seed } from "./seed.ts";

const HOST = "127.0.0.1";
const root = dirname(dirname(fileURLToPath(import.meta.url)));
// npm runs scripts from the project root; paths the user typed are relative to where they typed them.
const userPath = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
const env = (name: string) => process.env[name]?.trim() || undefined;

class UsageError extends Error {
  override name = "UsageError";
}

function portFromEnv(): number {
  const raw = env("PORT") ?? String(DEFAULT_DEV_PORT);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_533) {
    throw new UsageError(`PORT must be a port number from 1 to 65533, not "${raw}"`);
  }
  return port;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, HOST, () => server.close(() => done(true)));
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, HOST);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

/** serverless-offline also opens a port for Lambda invokes: PORT+2 as by default, or any free one. */
async function ports(): Promise<{ http: number; lambda: number }> {
  const http = portFromEnv();
  if (!(await isFree(http))) {
    throw new UsageError(
      `Port ${http} is in use (another npm run dev?). Free it or choose another: PORT=${http + 10} npm run dev`,
    );
  }
  const lambda = (await isFree(http + 2)) ? http + 2 : await freePort();
  return { http, lambda };
}

/** Where this instance's bundle is built (serverless.yml reads it), so parallel instances never share one. */
const workFolder = (http: number) => `.esbuild/dev-${http}`;

function startOffline(options: {
  http: number;
  lambda: number;
  env: NodeJS.ProcessEnv;
  log: DevLogMode;
}): ChildProcess {
  const osls = createRequire(import.meta.url).resolve("osls/bin/serverless.js");
  const args = ["offline", "--httpPort", String(options.http), "--lambdaPort", String(options.lambda)];
  const output = options.log === "json" ? "inherit" : "pipe";
  // Its own process group, so that stopping it also stops what it started (esbuild, workers).
  const child = spawn(process.execPath, [osls, ...args, "--host", HOST], {
    cwd: root,
    env: { ...options.env, ESBUILD_WORK_FOLDER: workFolder(options.http) },
    stdio: ["ignore", output, output],
    detached: true,
  });
  if (child.stdout) pipeShort(child.stdout, process.stdout);
  if (child.stderr) pipeShort(child.stderr, process.stderr);
  return child;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const gone = once(child, "exit");
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  await Promise.race([gone, sleep(5_000).then(() => signal("SIGKILL"))]);
  signal("SIGKILL"); // whatever of the group outlived its leader
}

/** A bad fixture is refused before anything starts (seed() reads it again, whole, to load it). */
async function checkFixture(file: string): Promise<FixtureItem[]> {
  try {
    return await readFixtureFile(file);
  } catch (error) {
    throw new UsageError(`FIXTURE ${(error as Error).message}`);
  }
}

async function prepareTable(options: { endpoint: string; tableName: string; fixture: string | undefined }) {
  if (options.fixture) {
    // Never over live data: items already in the table (DYNAMODB_PATH, your own DYNAMODB_ENDPOINT) stay.
    const report = await seed({
      file: options.fixture,
      tableName: options.tableName,
      endpoint: options.endpoint,
    }).catch((error: unknown) => {
      if (!(error instanceof SeedRefused)) throw error;
      throw new Error(
        `FIXTURE: ${error.message}. npm run dev loads fixtures into a local DynamoDB only; ` +
          "FIXTURE=none skips loading, and npm run seed -- <file> --aws loads AWS",
      );
    });
    return { said: `loaded ${options.fixture}: ${describeSeed(report)}`, alreadyThere: report.skipped };
  }
  const doc = createDocumentClient({ endpoint: options.endpoint });
  try {
    return { said: (await ensureTable(doc, options.tableName)) ? "created it empty" : "left it as it was" };
  } finally {
    doc.destroy();
  }
}

async function main() {
  const started = Date.now();
  const { http, lambda } = await ports();
  const tableName = env("TABLE_NAME") ?? "anqicms-orders-dev";
  const fixtureSetting = env("FIXTURE") ?? resolve(root, "fixtures/demo.json");
  const fixture = fixtureSetting === "none" ? undefined : userPath(fixtureSetting);
  const items = fixture ? await checkFixture(fixture) : undefined;
  const log = (() => {
    try {
      return devLogMode(env("DEV_LOG"));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  })();
  const generated = !env("TOKEN_SECRET");
  const secret = env("TOKEN_SECRET") ?? randomBytes(32).toString("base64url");
  const weak = weakSecret(secret, "TOKEN_SECRET"); // refused before anything starts, as the handler would
  if (weak) throw new UsageError(weak);

  // Started resources as promises, so that a signal during start-up still stops what is coming up.
  let local: Promise<DynamoDbLocal> | undefined;
  let offline: ChildProcess | undefined;
  let stopping = false;
  let unrecord: (() => Promise<void>) | undefined;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await unrecord?.();
    if (offline) {
      await stopGroup(offline);
      await rm(resolve(root, workFolder(http)), { recursive: true, force: true });
    }
    await local?.then((db) => db.stop()).catch(() => {});
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(0));
  // `npm run` puts a shell between npm and us; a SIGTERM sent to npm ends that shell but never reaches
  // us. Being orphaned (a new parent) is the sign to stop too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(0), 250).unref();

  try {
    // DynamoDB Local and serverless-offline start side by side: the Lambda reads the table only on a
    // request, and the banner waits for both.
    let endpoint = env("DYNAMODB_ENDPOINT");
    const dataPath = env("DYNAMODB_PATH");
    const path = dataPath ? userPath(dataPath) : undefined;
    if (!endpoint) {
      assertJava();
      if (path) await mkdir(path, { recursive: true });
      const port = await freePort();
      endpoint = `http://127.0.0.1:${port}`;
      local = startDynamoDbLocal({ port, ...(path ? { path } : {}) });
    }
    offline = startOffline({
      http,
      lambda,
      env: { ...process.env, TABLE_NAME: tableName, TOKEN_SECRET: secret, DYNAMODB_ENDPOINT: endpoint },
      log,
    });
    offline.once("exit", (code) => {
      if (stopping) return;
      console.error(`serverless-offline exited (${code ?? "killed"}); stopping.`);
      void stop(code || 1);
    });
    if (local) await local;
    const where = local ? `DynamoDB Local: ${endpoint} (${path ? `data in ${path}` : "in memory"})` : null;
    console.log(where ?? `DynamoDB: ${endpoint} (DYNAMODB_ENDPOINT)`);
    const prepared = await prepareTable({ endpoint, tableName, fixture });
    console.log(`Table ${tableName}: ${prepared.said}`);
    unrecord = await recordDevServer({ port: http, endpoint, table: tableName });
    while (!(await answers(http))) {
      if (stopping) return;
      await sleep(100);
    }
    const loaded =
      fixture && items ? { file: fixture, items, alreadyThere: prepared.alreadyThere ?? 0 } : undefined;
    console.log((await bannerLines({ host: HOST, http, secret, generated, fixture: loaded })).join("\n"));
    console.log(`(started in ${((Date.now() - started) / 1000).toFixed(1)} s; Lambda port ${lambda})`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    await stop(1);
  }
}

try {
  await main();
} catch (error) {
  // Nothing is started before the checks that throw here: a message is all that is owed.
  console.error(error instanceof UsageError ? error.message : error);
  process.exit(1);
}
