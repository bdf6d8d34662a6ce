// npm run bench: the cost-and-speed figures (docs/accept.md, rule 10) in one run, side by side (BENCHMARKS.md explains the method).
//   1. the deployable bundle's bytes and its ten largest inputs, beside a naive DynamoDB-only bundle;
//   2. import time of both, in fresh Node processes taking turns, medians and ratio;
//   3. warm accept latency of the handler against a bare-SDK replay of exactly the DynamoDB calls the
//      handler made, in the same order and with the same overlap, taking turns, p50/p99 and ratio;
//   4. sequential DynamoDB round trips per case, measured (every call delayed so overlap is plain).
// Only 127.0.0.1 is contacted (DynamoDB Local, started here unless DYNAMODB_ENDPOINT names one).
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import * as dynamodb from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { signToken } from "../lib/auth/token.ts";
import { bundle, bytesByPackage, root } from "../scripts/bundle.ts";
import { startDynamoDbLocal } from "../scripts/dynamodb-local.ts";
import { demoWith } from "../tests/support/fixtures.ts";
import { EVENT_SECRET, fixtureEvent, openShop } from "../tests/support/shop.ts";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 25);
const DELAY_MS = 100;

const local = process.env.DYNAMODB_ENDPOINT ? undefined : await startDynamoDbLocal();
if (local) process.env.DYNAMODB_ENDPOINT = local.endpoint;
const endpoint = process.env.DYNAMODB_ENDPOINT as string;

const median = (values: number[]) => quantile(values, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(2)} ms`;

// 1. Bytes ------------------------------------------------------------------------------------------
const deployable = await bundle("handlers/accept.ts");
const naive = await bundle("bench/naive-dynamodb.ts", { trimmed: false });
console.log(`Deployable bundle (handlers/accept.js, as osls packages it): ${deployable.bytes} bytes`);
console.log(`Naive DynamoDB-only bundle (same flags, no trimming):      ${naive.bytes} bytes`);
console.log("Largest inputs of the deployable bundle:");
for (const [name, bytes] of bytesByPackage(deployable.metafile).slice(0, 10)) {
  console.log(`  ${kib(bytes).padStart(9)}  ${name}`);
}

// 2. Import time ----------------------------------------------------------------------------------
// As Lambda loads the zip: each bundle as ESM (package.json type module) with its source map beside it.
const dir = await mkdtemp(join(tmpdir(), "bench-bundles-"));
await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
async function place(name: string, built: typeof deployable) {
  await writeFile(join(dir, `${name}.js`), built.code);
  await writeFile(join(dir, built.map.name), built.map.text);
  return join(dir, `${name}.js`);
}
const files = { deployable: await place("accept", deployable), naive: await place("naive-dynamodb", naive) };
// What Lambda gives the function (serverless.yml's NODE_OPTIONS included, for both bundles), no more.
const lambdaEnv = {
  NODE_OPTIONS: "--enable-source-maps",
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: dir,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "ASIAEXAMPLEEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "example",
  AWS_SESSION_TOKEN: "example",
  AWS_LAMBDA_FUNCTION_NAME: "anqicms-orders-bench-accept",
  TABLE_NAME: "anqicms-orders-bench",
  TOKEN_SECRET_PARAMETER: "/anqicms-orders/bench/token-secret",
};
const importOnce = async (file: string) => {
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, "bench/import-once.ts"), file], {
    env: lambdaEnv,
    cwd: dir,
  });
  return Number(stdout);
};
const imports = { deployable: [] as number[], naive: [] as number[] };
await importOnce(files.deployable); // warms the OS file cache for both, unmeasured
await importOnce(files.naive);
for (let i = 0; i < IMPORT_RUNS; i++) {
  // Taking turns, and swapping who goes first, so that machine noise falls on both alike.
  const order = i % 2 === 0 ? (["deployable", "naive"] as const) : (["naive", "deployable"] as const);
  for (const which of order) imports[which].push(await importOnce(files[which]));
}
await rm(dir, { recursive: true, force: true });
const importRatio = median(imports.deployable) / median(imports.naive);
console.log(
  `\nImport time, fresh Node ${process.version} processes taking turns (${IMPORT_RUNS} each), ` +
    "NODE_OPTIONS=--enable-source-maps with each bundle's .map beside it, medians:",
);
console.log(
  `  deployable ${ms(median(imports.deployable))}, naive DynamoDB-only ${ms(median(imports.naive))}`,
);
console.log(`  ratio ${importRatio.toFixed(2)} (target ≤ 1.00)`);

// 3. Warm accepts against the bare-SDK replay -------------------------------------------------------
interface Call {
  command: string;
  input: Record<string, unknown>;
  start: number;
  end: number;
}

/** Records every DynamoDB call a client makes (low-level command and marshalled input), timed. */
function recorder(delayMs = 0) {
  const calls: Call[] = [];
  const configure = (client: dynamodb.DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const call: Call = {
          command: String(context.commandName),
          input: structuredClone(args.input as Record<string, unknown>),
          start: performance.now(),
          end: Number.POSITIVE_INFINITY,
        };
        calls.push(call);
        if (delayMs > 0) await sleep(delayMs);
        try {
          return await next(args);
        } finally {
          call.end = performance.now();
        }
      },
      { step: "finalizeRequest", priority: "low", name: "benchRecorder" },
    );
  return { calls, configure };
}

/** Each call's depth: 1 + the deepest call that ended before it started. The max is the round trips. */
function depths(calls: Call[]): Map<Call, number> {
  const depth = new Map<Call, number>();
  for (const call of [...calls].sort((a, b) => a.start - b.start)) {
    const before = calls.filter((other) => other.end <= call.start).map((other) => depth.get(other) ?? 0);
    depth.set(call, 1 + Math.max(0, ...before));
  }
  return depth;
}

/** Quotations 1000+i for alice (no promoter) and 5000+i for bob (promoter chain), all on goods 205. */
function fixture(count: number) {
  const quotations = Array.from({ length: count }, (_, i) => [
    { id: 1000 + i, user_id: 1000, archive_id: 205, title: `A${i}`, status: 2, quote_price: "99.00" },
    { id: 5000 + i, user_id: 1001, archive_id: 205, title: `B${i}`, status: 2, quote_price: "99.00" },
  ]).flat();
  return demoWith({ comm_orders: quotations });
}

const token = await signToken(EVENT_SECRET, 1000, Math.floor(Date.now() / 1000) + 86_400);
function acceptEvent(quotation: number): APIGatewayProxyEventV2 {
  const event = fixtureEvent("accept-interface-example");
  event.headers = { "content-type": "application/json", token };
  event.body = JSON.stringify({ comm_order_id: quotation });
  return event;
}
const context = () =>
  ({ functionName: "accept", awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 10_000 }) as never;

// Record: the handler accepts every quotation once; each accept's calls are kept, in order.
const recording = recorder();
const recorded = await openShop(fixture(SAMPLES), {
  configure: recording.configure,
  settingsTtlSeconds: 3600,
});
const callsOf: Call[][] = [];
for (let i = 0; i < SAMPLES; i++) {
  recording.calls.length = 0;
  const answer = await recorded.accept({ comm_order_id: 1000 + i }, { userId: 1000 });
  if (answer.code !== 0) throw new Error(`recording accept ${i} failed: ${answer.msg}`);
  callsOf.push([...recording.calls]);
}

// Replay: the same calls on the bare SDK client, stage by stage (calls that overlapped go together),
// against a table of its own loaded with the same fixture. Only the table name and the transaction's
// idempotency token differ (a token is bound to its first payload).
const handlerShop = await openShop(fixture(SAMPLES), { settingsTtlSeconds: 3600 });
const replayShop = await openShop(fixture(SAMPLES), {});
const bare = new dynamodb.DynamoDBClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
type Stage = { command: string; input: Record<string, unknown> }[];
/** The low-level command classes by name (GetItemCommand, TransactWriteItemsCommand...). */
const commands = dynamodb as unknown as Record<string, new (input: never) => dynamodb.GetItemCommand>;
const replays: Stage[][] = callsOf.map((calls) => {
  const depth = depths(calls);
  const stages: Stage[] = [];
  for (const call of calls) {
    const input = JSON.parse(JSON.stringify(call.input).replaceAll(recorded.table, replayShop.table));
    if ("ClientRequestToken" in input) input.ClientRequestToken = randomUUID();
    const stage = (depth.get(call) ?? 1) - 1;
    stages[stage] = [...(stages[stage] ?? []), { command: call.command, input }];
  }
  return stages;
});
async function replay(stages: Stage[]) {
  for (const stage of stages) {
    await Promise.all(
      stage.map(({ command, input }) => {
        const Command = commands[command];
        if (!Command) throw new Error(`no ${command} in @aws-sdk/client-dynamodb`);
        return bare.send(new Command(input as never));
      }),
    );
  }
}

// Warm-up (the first accept is a cold container's: settings, id block, connections), unmeasured.
await handlerShop.handler(acceptEvent(1000), context());
await replay(replays[0] as Stage[]);
const latency = { handler: [] as number[], bare: [] as number[] };
const heapBefore = process.memoryUsage().heapUsed;
for (let i = 1; i < SAMPLES; i++) {
  const event = acceptEvent(1000 + i);
  const run = {
    handler: async () => {
      const started = performance.now();
      const result = (await handlerShop.handler(event, context())) as { statusCode: number; body: string };
      const took = performance.now() - started;
      if (JSON.parse(result.body).code !== 0) throw new Error(`accept ${i} failed: ${result.body}`);
      return took;
    },
    bare: async () => {
      const started = performance.now();
      await replay(replays[i] as Stage[]);
      return performance.now() - started;
    },
  };
  const order = i % 2 === 0 ? (["handler", "bare"] as const) : (["bare", "handler"] as const);
  for (const which of order) latency[which].push(await run[which]());
}
const memory = process.memoryUsage();
const p50Ratio = median(latency.handler) / median(latency.bare);
const callCounts = [...new Set(callsOf.slice(1).map((calls) => calls.length))].sort();
console.log(
  `\nWarm accepts against DynamoDB Local (${latency.handler.length} each, taking turns; ` +
    `${callCounts.join(" or ")} DynamoDB calls per accept):`,
);
for (const which of ["handler", "bare"] as const) {
  const values = latency[which];
  console.log(
    `  ${which === "handler" ? "handler (whole middy chain)" : "bare-SDK replay            "}` +
      ` p50 ${ms(median(values))}, p99 ${ms(quantile(values, 0.99))}`,
  );
}
console.log(`  p50 ratio ${p50Ratio.toFixed(2)} (target ≤ 1.10)`);
console.log(
  `  rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB ` +
    `(+${((memory.heapUsed - heapBefore) / 2 ** 20).toFixed(1)} MiB over the run); ` +
    `orders written ${(await handlerShop.counts()).Order}`,
);

// 4. Round trips ---------------------------------------------------------------------------------
async function roundTrips(userId: number, body: object, warm: boolean) {
  const probe = recorder(DELAY_MS);
  const shop = await openShop(fixture(3), { configure: probe.configure, settingsTtlSeconds: 60 });
  if (warm) await shop.accept({ comm_order_id: userId === 1000 ? 1002 : 5002 }, { userId });
  probe.calls.length = 0;
  const answer = await shop.accept(body, { userId });
  if (answer.code !== 0) throw new Error(`accept failed: ${answer.msg}`);
  return { rounds: Math.max(0, ...depths(probe.calls).values()), calls: probe.calls.length };
}
const cases = [
  ["goods_id given", 1000, { comm_order_id: 1000, goods_id: 205 }],
  ["comm_order_id only", 1000, { comm_order_id: 1000 }],
  ["promoter chain (share + parent)", 1001, { comm_order_id: 5000 }],
] as const;
console.log(`\nSequential DynamoDB round trips per accept (every call delayed ${DELAY_MS} ms):`);
const warmRounds: number[] = [];
for (const [name, userId, body] of cases) {
  for (const warm of [true, false]) {
    const { rounds, calls } = await roundTrips(userId, body, warm);
    if (warm) warmRounds.push(rounds);
    console.log(`  ${name.padEnd(32)} ${warm ? "warm" : "cold"}: ${rounds} round trips, ${calls} calls`);
  }
}

// Summary ---------------------------------------------------------------------------------------------
console.log("\n| figure | this build | baseline | ratio | target |");
console.log("|---|---|---|---|---|");
console.log(
  `| bundle bytes | ${deployable.bytes} (${kib(deployable.bytes)}) | naive ${kib(naive.bytes)} | — | ≤ 300 KB |`,
);
console.log(
  `| import time, median | ${ms(median(imports.deployable))} | naive ${ms(median(imports.naive))} | ${importRatio.toFixed(2)} | ≤ 1.00 |`,
);
console.log(
  `| warm accept p50 | ${ms(median(latency.handler))} | bare SDK ${ms(median(latency.bare))} | ${p50Ratio.toFixed(2)} | ≤ 1.10 |`,
);
console.log(
  `| warm accept p99 | ${ms(quantile(latency.handler, 0.99))} | bare SDK ${ms(quantile(latency.bare, 0.99))} | ${(quantile(latency.handler, 0.99) / quantile(latency.bare, 0.99)).toFixed(2)} | — |`,
);
console.log(
  `| warm round trips (${cases.map(([name]) => name).join(" / ")}) | ${warmRounds.join(" / ")} | — | — | 2 / 3 / 4 |`,
);

bare.destroy();
await local?.stop();
