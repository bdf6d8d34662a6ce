// What a burst run prints: answers tallied by kind, latency quantiles, and where the time went.
import { loadavg } from "node:os";

export interface Outcome {
  status: number;
  code: number;
  msg: string;
  ms: number;
  orderNumber?: string | undefined;
  /** TransactWriteItems this request sent (in process only: a container runs one request at a time). */
  transactions?: number | undefined;
}

export interface Counters {
  transactions: number;
  transactionRetries: number;
  /** TransactionConflict reasons seen (DynamoDB Local raises none; the in-process run can emulate them). */
  conflicts: number;
  /** SDK attempts beyond the first, any command. */
  sdkRetries: number;
  counterWrites: number;
  /** Milliseconds, summed over requests, spent in each kind of call. */
  phaseMs: Record<string, number>;
}

export const newCounters = (): Counters => ({
  transactions: 0,
  transactionRetries: 0,
  conflicts: 0,
  sdkRetries: 0,
  counterWrites: 0,
  phaseMs: {},
});

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");

/** One line per scenario and mode; the table BENCHMARKS.md records. */
export function report(
  name: string,
  outcomes: Outcome[],
  extra: { sold: number; counters?: Counters | undefined; seconds: number; loadBefore: string },
): string {
  const tally = new Map<string, number>();
  for (const { status, code, msg } of outcomes) {
    const key = code === 0 ? `${status} 0` : `${status} ${code} ${msg}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const ok = outcomes.filter((o) => o.code === 0).length;
  const refused = outcomes.filter((o) => o.status === 200 && o.code === -1).length;
  const timeouts = outcomes.filter((o) => o.status === 504 || o.status === 0).length;
  const faults = outcomes.filter((o) => o.status >= 500 && o.status !== 504).length;
  const latencies = outcomes.map((o) => o.ms);
  const orders = new Set(outcomes.flatMap((o) => (o.orderNumber ? [o.orderNumber] : [])));
  const c = extra.counters;
  const phases = c
    ? Object.entries(c.phaseMs)
        .map(([phase, total]) => `${phase} ${(total / outcomes.length).toFixed(0)}`)
        .join(", ")
    : "";
  return [
    `${name}: ${outcomes.length} requests in ${extra.seconds.toFixed(1)} s ` +
      `(${(outcomes.length / extra.seconds).toFixed(1)}/s); load ${extra.loadBefore} → ${load()}`,
    `  answers: code 0 ${ok} (distinct orders ${orders.size}), refused -1 ${refused}, ` +
      `timeouts ${timeouts}, 5xx ${faults}; orders in the table ${extra.sold}`,
    `  latency p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p99 ${quantile(latencies, 0.99).toFixed(0)} ms, ` +
      `max ${Math.max(...latencies).toFixed(0)} ms`,
    ...(c
      ? [
          `  transactions ${c.transactions}, transaction retries ${c.transactionRetries}, ` +
            `conflicts ${c.conflicts}, SDK retries ${c.sdkRetries}, counter writes ${c.counterWrites}`,
          `  mean ms per request in: ${phases}`,
        ]
      : []),
    `  by answer: ${JSON.stringify(Object.fromEntries(tally))}`,
  ].join("\n");
}
