// What the capacity bench prints: units per accept, calls by command, the item floor, and dollars at
// on-demand prices.
import { floorWcu, type Tally } from "./meter.ts";

/**
 * DynamoDB on-demand, us-east-1, standard table class: dollars per million read and write request units,
 * as AWS's pricing page lists them since the price cut of November 2024 (not re-checked at run time).
 */
export const PRICE = { readPerMillion: 0.125, writePerMillion: 0.625 } as const;

/** Dollars per million accepts that each cost `rcu` read and `wcu` write units. */
export const dollarsPerMillion = (rcu: number, wcu: number) =>
  rcu * PRICE.readPerMillion + wcu * PRICE.writePerMillion;

/** Units as printed: whole, or to a tenth (a lookup-index query costs half a unit). */
export const unitsText = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** "GetItem 4, Query 2, …", in a fixed order. */
export const callsText = (calls: Record<string, number>) =>
  Object.entries(calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([command, count]) => `${command} ${count}`)
    .join(", ") || "none";

/** A figure over samples: the one value, or its range when samples differ. */
function over(samples: Tally[], figure: (tally: Tally) => number): string {
  const values = samples.map(figure);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? unitsText(low) : `${unitsText(low)}–${unitsText(high)}`;
}

export const meanOf = (samples: Tally[], figure: (tally: Tally) => number) =>
  samples.reduce((sum, tally) => sum + figure(tally), 0) / samples.length;

export const TABLE_HEAD =
  "| case | answer | calls | RCU | WCU (index) | DynamoDB Local's WCU | floor WCU | WCU / floor | $ per million accepts |\n" +
  "|---|---|---|---|---|---|---|---|---|";

/** One row of the four cases' table. */
export function caseRow(name: string, code: number, samples: Tally[]): string {
  const calls = new Set(samples.map((tally) => callsText(tally.calls)));
  const floor = meanOf(samples, floorWcu);
  const wcu = meanOf(samples, (tally) => tally.wcu);
  const ratio = floor > 0 ? (wcu / floor).toFixed(2) : "—";
  const dollars = dollarsPerMillion(
    meanOf(samples, (tally) => tally.rcu),
    wcu,
  );
  return (
    `| ${name} | ${code} | ${[...calls].join(" / ")} | ${over(samples, (t) => t.rcu)} | ` +
    `${over(samples, (t) => t.wcu)} (${over(samples, (t) => t.indexWcu)}) | ${over(samples, (t) => t.reportedWcu)} | ` +
    `${over(samples, floorWcu)} | ${ratio} | ${dollars.toFixed(2)} |`
  );
}

/** The items a sample wrote, with their sizes: what the floor is made of. */
export const writtenText = (tally: Tally) =>
  [...tally.written.entries()].map(([key, bytes]) => `${key} ${bytes} B`).join("; ") || "nothing";
