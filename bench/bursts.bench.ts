// npm run bench (second part): bursts. A flash sale (customers racing for a limited campaign coupon), a
// double-click storm on a fresh server, a cold burst of distinct accepts, and a steady load run, each
// in process (a cold container per concurrent request, bypassing serverless-offline) and through
// `npm run dev` (serverless-offline). BENCHMARKS.md records the figures and explains the method.
// Sizes: BENCH_FLASH=240/150, BENCH_BIG_FLASH=1000/600, BENCH_IDENTICAL=20, BENCH_COLD=200,
// BENCH_LOAD=500/50 (accepts/concurrency); BENCH_MODES=in-process,conflicts,offline; BENCH_OFFLINE_MAX=50;
// BENCH_SCENARIOS=floor,flash,big-flash,identical,cold,load (floor: DynamoDB Local's own transaction rate,
// BENCH_FLOOR=300 per round). Only 127.0.0.1 is contacted.
// A flash sale run in process must send at most one TransactWriteItems per unit sold (plus a tenth for
// order-number clashes), none from a refused customer; the 240-customer one's p99 is printed beside
// DynamoDB Local's floor for its transactions, measured in the same run. The bench fails otherwise.
// First, before anything loads Powertools' logger and metrics, which read their settings once.
import "../tests/support/quiet-powertools.ts";

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createDocumentClient } from "../lib/store/client.ts";
import { couponUseCount } from "../lib/store/coupon-stock.ts";
import { loadFixture, parseFixture } from "../lib/store/fixture.ts";
import { ensureTable } from "../lib/store/table.ts";
import { type DynamoDbLocal, startDynamoDbLocal } from "../scripts/dynamodb-local.ts";
import { burstWorld, COUPON_ID } from "../tests/support/flash-sale.ts";
import { scanTable } from "../tests/support/shop.ts";
import { type Counters, load, newCounters, type Outcome, report } from "./bursts/figures.ts";
import { coldContainer, sharedClient } from "./bursts/in-process.ts";
import { post, startDev } from "./bursts/offline.ts";
import { transactionFloor } from "./bursts/transaction-floor.ts";

// DynamoDB Local's transactions get slower with every one it has committed (BENCHMARKS.md, "DynamoDB
// Local's floor"), so each scenario gets a DynamoDB Local of its own, warmed with a small burst first:
// figures then do not depend on which scenarios ran before. A named DYNAMODB_ENDPOINT is used as it is.
let local: DynamoDbLocal | undefined;
let endpoint = process.env.DYNAMODB_ENDPOINT as string;

const pair = (name: string, fallback: [number, number]): [number, number] => {
  const raw = process.env[name];
  if (!raw) return fallback;
  const [a, b] = raw.split("/").map(Number);
  return [a ?? fallback[0], b ?? fallback[1]];
};
const [flashCustomers, flashUnits] = pair("BENCH_FLASH", [240, 150]);
const [bigCustomers, bigUnits] = pair("BENCH_BIG_FLASH", [1000, 600]);
const identical = Number(process.env.BENCH_IDENTICAL ?? 20);
const cold = Number(process.env.BENCH_COLD ?? 200);
const [loadAccepts, loadConcurrency] = pair("BENCH_LOAD", [500, 50]);
const modes = (process.env.BENCH_MODES ?? "in-process,conflicts,offline").split(",");
// serverless-offline starts a worker thread per concurrent request, each costing about 0.45 CPU seconds
// cold (BENCHMARKS.md): 240 at once pinned a shared 2-core machine for a minute (load average 47).
// Wider bursts run in process only unless BENCH_OFFLINE_MAX is raised.
const offlineMax = Number(process.env.BENCH_OFFLINE_MAX ?? 50);
const chosen = (process.env.BENCH_SCENARIOS ?? "floor,flash,big-flash,identical,cold,load").split(",");
const FLOOR_TRANSACTIONS = Number(process.env.BENCH_FLOOR ?? 300);
/** Transactions a flash sale may send per unit: one per sale, and a tenth more for order-number clashes. */
const TRANSACTIONS_PER_UNIT = 1.1;
/** Items of a campaign sale's transaction: order, detail, commission, quotation, unit, hold, use. */
const SALE_ITEMS = 7;
const failures: string[] = [];

let setupClient = endpoint ? createDocumentClient({ endpoint }) : undefined;
/** The client the bench loads tables and counts with, on the current DynamoDB Local. */
function setup() {
  if (!setupClient) throw new Error("no DynamoDB Local started yet");
  return setupClient;
}

async function freshDynamoDbLocal(): Promise<void> {
  if (process.env.DYNAMODB_ENDPOINT) return;
  setupClient?.destroy();
  await local?.stop();
  local = await startDynamoDbLocal();
  endpoint = local.endpoint;
  setupClient = createDocumentClient({ endpoint });
  // The JVM compiles its hot paths in the first hundreds of calls: a burst of 50 accepts, not counted.
  await inProcess(
    { name: "warm-up", key: "warm-up", world: burstWorld({ customers: 50 }), concurrency: 0 },
    false,
  );
}

/**
 * CPU seconds a process and its descendants have used (npm run dev, serverless-offline and its worker
 * threads, esbuild): figures that hold on a busy machine, where wall-clock latency measures the
 * neighbours too.
 */
function cpuSeconds(root: number | undefined): number {
  if (root === undefined) return Number.NaN;
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid=,times="], { encoding: "utf8" })
    .split("\n")
    .map((row) => row.trim().split(/\s+/).map(Number))
    .filter((row) => row.length === 3) as [number, number, number][];
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (tree.has(ppid) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return rows.reduce((sum, [pid, , seconds]) => (tree.has(pid) ? sum + seconds : sum), 0);
}

/** CPU seconds DynamoDB Local's JVM has used (all its threads), when the bench started it. */
function javaSeconds(): number {
  const pid = local?.process.pid;
  if (pid === undefined) return Number.NaN;
  return Number(execFileSync("ps", ["-o", "times=", "-p", String(pid)], { encoding: "utf8" }).trim());
}

/** The table's figures once DynamoDB Local has worked off what abandoned requests left queued. */
async function settledFigures(table: string) {
  let last = await tableFigures(table);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await tableFigures(table);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

async function tableFigures(table: string) {
  const items = await scanTable(setup(), table);
  const orders = items.filter((item) => item.entity === "Order");
  const withCoupon = orders.filter((order) => order.coupon_id === COUPON_ID).length;
  const count = await couponUseCount({ doc: setup(), table }, COUPON_ID);
  return { orders: orders.length, withCoupon, count };
}

async function newTable(fixture: unknown): Promise<string> {
  const table = `bench-burst-${randomUUID()}`;
  await ensureTable(setup(), table);
  await loadFixture({ doc: setup(), table }, parseFixture(fixture));
  return table;
}

interface Scenario {
  name: string;
  key: string;
  /** The campaign coupon's units, in a flash sale. */
  units?: number;
  world: ReturnType<typeof burstWorld>;
  /** 0: every request at once; else that many clients in a loop (the load run). */
  concurrency: number;
}

const scenarios: Scenario[] = [
  {
    name: `flash sale ${flashCustomers} customers / ${flashUnits} units`,
    world: burstWorld({ customers: flashCustomers, units: flashUnits }),
    concurrency: 0,
    key: "flash",
    units: flashUnits,
  },
  {
    name: `flash sale ${bigCustomers} customers / ${bigUnits} units`,
    world: burstWorld({ customers: bigCustomers, units: bigUnits }),
    concurrency: 0,
    key: "big-flash",
    units: bigUnits,
  },
  {
    name: `${identical} identical accepts, fresh server`,
    world: burstWorld({ customers: 1, identical }),
    concurrency: 0,
    key: "identical",
  },
  {
    name: `cold burst ${cold} distinct accepts, fresh server`,
    world: burstWorld({ customers: cold }),
    concurrency: 0,
    key: "cold",
  },
  {
    name: `load ${loadAccepts} distinct accepts, ${loadConcurrency} at a time`,
    world: burstWorld({ customers: loadAccepts }),
    concurrency: loadConcurrency,
    key: "load",
  },
].filter((scenario) => chosen.includes(scenario.key));

async function inProcess(scenario: Scenario, emulateConflicts: boolean) {
  const table = await newTable(scenario.world.fixture);
  const { requests } = scenario.world;
  const width = scenario.concurrency || requests.length;
  const doc = sharedClient(endpoint, { emulateConflicts });
  const containers = Array.from({ length: width }, () => {
    const counters = newCounters();
    return { counters, container: coldContainer(doc, table, counters) };
  });
  const outcomes: Outcome[] = [];
  let next = 0;
  const loadBefore = load();
  const javaBefore = javaSeconds();
  const cpuBefore = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  await Promise.all(
    containers.map(async ({ container }) => {
      while (next < requests.length) {
        const request = requests[next++] as (typeof requests)[number];
        outcomes.push(await container.accept(request.userId, request.body));
        if (!scenario.concurrency) break;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const handlerCpu = (cpu.user + cpu.system) / 1e6;
  const eventLoop = performance.eventLoopUtilization(elu).utilization;
  const total = newCounters();
  for (const { counters } of containers) {
    for (const key of [
      "transactions",
      "transactionRetries",
      "conflicts",
      "counterWrites",
      "sdkRetries",
    ] as const) {
      total[key] += counters[key];
    }
    for (const [phase, ms] of Object.entries(counters.phaseMs)) {
      total.phaseMs[phase] = (total.phaseMs[phase] ?? 0) + ms;
    }
  }
  doc.destroy();
  await settledFigures(table); // DynamoDB Local's work for this run is done before its CPU is read
  const cpuLine =
    `  CPU: handlers (this Node process) ${handlerCpu.toFixed(1)} s, DynamoDB Local ` +
    `${(javaSeconds() - javaBefore).toFixed(0)} s, in ${seconds.toFixed(1)} s ` +
    `(event loop ${(eventLoop * 100).toFixed(0)}% busy)`;
  return { outcomes, seconds, loadBefore, counters: total, table, cpuLine };
}

async function throughOffline(scenario: Scenario) {
  const table = `bench-burst-${randomUUID()}`;
  const dev = await startDev(endpoint, table, scenario.world.fixture);
  const javaBefore = javaSeconds();
  const devBefore = cpuSeconds(dev.pgid);
  try {
    const { requests } = scenario.world;
    const width = scenario.concurrency || requests.length;
    const outcomes: Outcome[] = [];
    let next = 0;
    const loadBefore = load();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < requests.length) {
          const request = requests[next++] as (typeof requests)[number];
          outcomes.push(await post(dev.url, request.userId, request.body));
          if (!scenario.concurrency) break;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // Requests cut off at 504 may still be writing: let them land before counting the table.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const cpuLine =
      `  CPU: npm run dev (serverless-offline and its workers) ${(cpuSeconds(dev.pgid) - devBefore).toFixed(0)} s, ` +
      `DynamoDB Local ${(javaSeconds() - javaBefore).toFixed(0)} s, in ${seconds.toFixed(1)} s (+ 6 s settling)`;
    return {
      outcomes,
      seconds,
      loadBefore,
      counters: dev.counters() as Counters | undefined,
      table,
      cpuLine,
    };
  } finally {
    await dev.stop();
  }
}

/**
 * A flash sale in process: at most TRANSACTIONS_PER_UNIT transactions per unit, none sent by a customer
 * who was refused (each container runs one request at a time, so its count is that request's).
 */
function checkTransactions(scenario: Scenario, label: string, outcomes: Outcome[], transactions: number) {
  if (!scenario.units) return;
  const limit = Math.floor(scenario.units * TRANSACTIONS_PER_UNIT);
  const refusedSending = outcomes.filter(
    (o) => o.status === 200 && o.code === -1 && (o.transactions ?? 0) > 0,
  ).length;
  console.log(
    `  TransactWriteItems: ${transactions} (at most ${limit}); refused customers that sent one: ${refusedSending}`,
  );
  if (transactions > limit) failures.push(`${label}: ${transactions} transactions, more than ${limit}`);
  if (refusedSending > 0) failures.push(`${label}: ${refusedSending} refused customers sent a transaction`);
}

console.log(`\nBursts: Node ${process.version}, load average at start ${load()}`);
const summary: string[] = [];
const pairs: string[] = [];
if (chosen.includes("floor")) {
  await freshDynamoDbLocal();
  const rounds = [{ clients: 1 }, { clients: 50 }, { clients: 50 }, { clients: 50 }];
  for (const round of await transactionFloor(endpoint, { transactions: FLOOR_TRANSACTIONS, rounds })) {
    console.log(
      `DynamoDB Local's floor: ${round.transactions} six-item transactions from ${round.clients} client(s) ` +
        `in ${round.seconds.toFixed(1)} s (${round.perSecond.toFixed(0)}/s), after the warm-up and ${round.before} of its own; load ${load()}`,
    );
  }
}
for (const scenario of scenarios) {
  for (const mode of modes) {
    const width = scenario.concurrency || scenario.world.requests.length;
    if (mode === "offline" && width > offlineMax) {
      console.log(
        `${scenario.name} [offline]: skipped, ${width} workers at once > BENCH_OFFLINE_MAX ${offlineMax}`,
      );
      continue;
    }
    await freshDynamoDbLocal();
    const run =
      mode === "offline" ? await throughOffline(scenario) : await inProcess(scenario, mode === "conflicts");
    const figures = await settledFigures(run.table);
    const label = `${scenario.name} [${mode === "conflicts" ? "in process, DynamoDB's conflicts emulated" : mode}]`;
    console.log(
      report(label, run.outcomes, {
        sold: figures.orders,
        counters: run.counters,
        seconds: run.seconds,
        loadBefore: run.loadBefore,
      }),
    );
    console.log(
      `  coupon ${COUPON_ID}: use count ${figures.count}, orders carrying it ${figures.withCoupon}`,
    );
    console.log(run.cpuLine);
    const p = (q: number) => {
      const sorted = run.outcomes.map((o) => o.ms).sort((a, b) => a - b);
      return (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0).toFixed(0);
    };
    const count = (test: (o: Outcome) => boolean) => run.outcomes.filter(test).length;
    summary.push(
      `| ${label} | ${figures.orders} | ${count((o) => o.status === 200 && o.code === -1)} | ` +
        `${count((o) => o.status === 504 || o.status === 0)} / ${count((o) => o.status >= 500 && o.status !== 504)} | ` +
        `${p(0.5)} / ${p(0.99)} | ${mode === "offline" ? "—" : (run.counters?.transactions ?? 0)} | ` +
        `${run.counters?.transactionRetries ?? "—"} | ${mode === "offline" ? "—" : (run.counters?.conflicts ?? 0)} | ` +
        `${(run.outcomes.length / run.seconds).toFixed(1)} | ${run.loadBefore} |`,
    );
    const transactions = run.counters?.transactions ?? 0;
    if (mode !== "offline") checkTransactions(scenario, label, run.outcomes, transactions);
    if (scenario.key === "flash" && mode === "in-process" && transactions > 0) {
      // The same number of sale-sized transactions on a fresh, warmed DynamoDB Local, nothing else:
      // no burst of them can end sooner on this machine, whatever the handler does.
      await freshDynamoDbLocal();
      const [floor] = await transactionFloor(endpoint, {
        transactions,
        rounds: [{ clients: 50 }],
        items: SALE_ITEMS,
      });
      const floorMs = ((floor?.seconds ?? Number.NaN) * 1000).toFixed(0);
      console.log(
        `  p99 ${p(0.99)} ms; DynamoDB Local's floor: the same ${transactions} ${SALE_ITEMS}-item transactions ` +
          `alone, from 50 clients, took ${floorMs} ms; load ${load()}`,
      );
      pairs.push(`| ${label} | ${p(0.99)} | ${transactions} | ${floorMs} | ${run.loadBefore} |`);
    }
  }
}
console.log(
  "\n| scenario [mode] | orders | refused -1 | timeouts / 5xx | p50 / p99 ms | transactions | tx retries | conflicts | req/s | load avg (1/5/15 min) |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const line of summary) console.log(line);
if (pairs.length > 0) {
  console.log(
    "\n| sale [mode] | p99 ms | its transactions | DynamoDB Local's floor for them, ms | load avg at the sale |",
  );
  console.log("|---|---|---|---|---|");
  for (const line of pairs) console.log(line);
}

setupClient?.destroy();
await local?.stop();
if (failures.length > 0) throw new Error(`bursts bench failed:\n  ${failures.join("\n  ")}`);
