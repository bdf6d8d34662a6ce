// npm run bench (third part): capacity units, DynamoDB's own measure of cost, which unlike milliseconds
// does not depend on the machine. BENCHMARKS.md ("A campaign of any size") records the figures.
//   1. Four accepts by the real handler, each its read units (as DynamoDB Local reports them), write
//      units (counted per item by DynamoDB's rules: bench/capacity/meter.ts says why), calls by command,
//      dollars per million at on-demand prices, and the item floor; a sold-out refusal must send no
//      transaction, write nothing beyond one refused counter update, and read at most 2 units more than
//      a plain accept.
//   2. Read units per customer when 240 race for the last 150 units of a 100,000-unit campaign, against
//      the same race on a 150-unit campaign: at most 2 more.
//   3. TransactWriteItems per sale in those races and in a 1,000-customer / 600-unit sale: at most one per
//      unit and a tenth, none from a refused customer. Races give every request two minutes: they count
//      units and calls, and a request cut off at a deadline would count less.
// Sizes: BENCH_CAPACITY_SAMPLES=3 (accepts per case), BENCH_RACE=240/150 (customers/units left),
// BENCH_BIG_CAMPAIGN=100000 (its units), BENCH_BIG_SALE=1000/600. Only 127.0.0.1 is contacted.
// First, before anything loads Powertools' logger and metrics, which read their settings once.
import "../tests/support/quiet-powertools.ts";

import { loadavg } from "node:os";
import { startDynamoDbLocal } from "../scripts/dynamodb-local.ts";
import { campaignRace, type RaceResult } from "./capacity/campaign-race.ts";
import { fourCases } from "./capacity/four-cases.ts";
import type { Tally } from "./capacity/meter.ts";
import { callsText, caseRow, meanOf, PRICE, TABLE_HEAD, unitsText, writtenText } from "./capacity/report.ts";

const SAMPLES = Number(process.env.BENCH_CAPACITY_SAMPLES ?? 3);
const [CUSTOMERS, LEFT] = (process.env.BENCH_RACE ?? "240/150").split("/").map(Number) as [number, number];
const BIG = Number(process.env.BENCH_BIG_CAMPAIGN ?? 100_000);
const [SALE_CUSTOMERS, SALE_UNITS] = (process.env.BENCH_BIG_SALE ?? "1000/600").split("/").map(Number) as [
  number,
  number,
];

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
};
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

/** A DynamoDB Local of its own for each part (it slows with history), unless DYNAMODB_ENDPOINT names one. */
async function withDynamoDbLocal<T>(run: (endpoint: string) => Promise<T>): Promise<T> {
  const named = process.env.DYNAMODB_ENDPOINT;
  if (named) return run(named);
  const local = await startDynamoDbLocal();
  process.env.DYNAMODB_ENDPOINT = local.endpoint; // the test shop reads it
  try {
    return await run(local.endpoint);
  } finally {
    delete process.env.DYNAMODB_ENDPOINT;
    await local.stop();
  }
}

console.log(`\nCapacity: Node ${process.version}, load average at start ${load()}`);
console.log(
  `Prices: on-demand us-east-1, $${PRICE.readPerMillion} per million read and $${PRICE.writePerMillion} ` +
    "per million write request units",
);

// 1. The four cases -------------------------------------------------------------------------------------
const cases = await withDynamoDbLocal((endpoint) => fourCases(endpoint, SAMPLES));
console.log(
  `\nUnits per accept (${SAMPLES} samples each, one warm container; a range where samples differ):`,
);
console.log(TABLE_HEAD);
const rows = [cases.plain, cases.promoted, cases.campaign, cases.soldOut, cases.flagging];
for (const row of rows) console.log(caseRow(row.name, row.code, row.samples));
console.log("\nEach call of the first sample, and the items written (the floor's items):");
for (const row of rows) {
  const first = row.samples[0] as Tally;
  console.log(`  ${row.name}:\n    ${first.log.join("\n    ")}\n    written: ${writtenText(first)}`);
}

const plainReads = Math.max(...cases.plain.samples.map((tally) => tally.rcu));
for (const [i, tally] of cases.soldOut.samples.entries()) {
  const what = `sold-out refusal ${i + 1}`;
  const writes = ["PutItem", "DeleteItem", "BatchWriteItem"].reduce((n, c) => n + (tally.calls[c] ?? 0), 0);
  const updates = tally.calls.UpdateItem ?? 0;
  check(!tally.calls.TransactWriteItems, `${what}: sent a TransactWriteItems (${callsText(tally.calls)})`);
  check(writes === 0, `${what}: wrote (${callsText(tally.calls)})`);
  check(
    updates <= 1 && tally.failedWrites === updates,
    `${what}: ${updates} updates, ${tally.failedWrites} refused; at most one refused counter update allowed`,
  );
  check(tally.rcu <= plainReads + 2, `${what}: ${tally.rcu} RCU, more than ${plainReads} + 2`);
}

// 2. Read units per customer, 150-unit campaign vs BIG-unit campaign; 3. transactions per sale ----------------
/** A race of `customers` for the last `left` units of a `units`-unit campaign, printed and checked. */
async function race(customers: number, units: number, left: number): Promise<RaceResult> {
  const result = await withDynamoDbLocal((endpoint) => campaignRace(endpoint, { customers, units, left }));
  const what = `${customers} customers / last ${left} of ${units} units`;
  const { outcomes, tallies } = result;
  const isOrder = (i: number) => outcomes[i]?.code === 0;
  const isRefusal = (i: number) => outcomes[i]?.status === 200 && outcomes[i]?.code === -1;
  const orders = outcomes.filter((_, i) => isOrder(i)).length;
  const refused = outcomes.filter((_, i) => isRefusal(i)).length;
  const rcu = (pick: (i: number) => boolean) => {
    const picked = tallies.filter((_, i) => pick(i));
    return picked.length ? unitsText(Number(meanOf(picked, (t) => t.rcu).toFixed(2))) : "—";
  };
  const transactions = result.total.calls.TransactWriteItems ?? 0;
  const refusedSending = tallies.filter((t, i) => isRefusal(i) && (t.calls.TransactWriteItems ?? 0) > 0);
  console.log(
    `\n${what} (${result.sold} sold before, written in ${result.prefillSeconds.toFixed(0)} s): ` +
      `${orders} orders, ${refused} refused -1, use count ${result.useCount}; load ${load()}`,
  );
  console.log(
    `  RCU per customer: all ${rcu(() => true)}, sold ${rcu(isOrder)}, refused ${rcu(isRefusal)}, ` +
      `most ${Math.max(...tallies.map((t) => t.rcu))}`,
  );
  console.log(
    `  TransactWriteItems ${transactions} (at most ${Math.floor(left * 1.1)}), ` +
      `from refused customers ${refusedSending.length}; calls in all: ${callsText(result.total.calls)}`,
  );
  check(orders === left, `${what}: ${orders} orders, expected ${left}`);
  check(refused === customers - left, `${what}: ${refused} refusals, expected ${customers - left}`);
  check(result.useCount === result.sold + orders, `${what}: use count ${result.useCount}`);
  check(transactions <= Math.floor(left * 1.1), `${what}: ${transactions} transactions`);
  check(
    refusedSending.length === 0,
    `${what}: ${refusedSending.length} refused customers sent a transaction`,
  );
  return result;
}
const small = await race(CUSTOMERS, LEFT, LEFT);
const big = await race(CUSTOMERS, BIG, LEFT);
const perCustomer = (result: RaceResult) => result.total.rcu / result.outcomes.length;
console.log(
  `\nRCU per customer: ${BIG}-unit campaign ${perCustomer(big).toFixed(2)}, ${LEFT}-unit campaign ` +
    `${perCustomer(small).toFixed(2)} (difference ${(perCustomer(big) - perCustomer(small)).toFixed(2)}, at most 2)`,
);
check(
  perCustomer(big) <= perCustomer(small) + 2,
  `the ${BIG}-unit race read ${perCustomer(big).toFixed(2)} RCU per customer, more than 2 over ${perCustomer(small).toFixed(2)}`,
);
// The wide sale of bench/bursts.bench.ts, with room: on a 2-core machine its 6 s deadline ends every
// request before its transaction, and a transaction count is a count, not a time.
await race(SALE_CUSTOMERS, SALE_UNITS, SALE_UNITS);

console.log(`\nLoad average at the end ${load()}`);
if (failures.length > 0) throw new Error(`capacity bench failed:\n  ${failures.join("\n  ")}`);
