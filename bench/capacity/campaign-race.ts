// The race for a campaign's last units, measured in read units per customer: `customers` cold containers
// at once (bench/bursts/in-process.ts) for the last `left` units of a `units`-unit campaign whose other
// units were sold before, stored as the accept stores a sale (lib/store/acceptance.ts): the counter at
// the units sold, with its last ticket long ago, a CouponUnit per unit and a CouponUse in each buyer's
// partition. If any read of the accept grew with the campaign, the big campaign's customers would read more.
import { randomUUID } from "node:crypto";
import { BatchWriteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { orderNumber } from "../../lib/domain/order-number.ts";
import { createDocumentClient } from "../../lib/store/client.ts";
import { couponUseCount } from "../../lib/store/coupon-stock.ts";
import { loadFixture, parseFixture } from "../../lib/store/fixture.ts";
import { itemOf, model } from "../../lib/store/model.ts";
import { ensureTable } from "../../lib/store/table.ts";
import { burstWorld, COUPON_ID } from "../../tests/support/flash-sale.ts";
import { newCounters, type Outcome } from "../bursts/figures.ts";
import { coldContainer, sharedClient } from "../bursts/in-process.ts";
import { capacityMeter, type Tally } from "./meter.ts";

/** Buyers of the units sold before the race: ids no racing customer has. */
const EARLIER_BUYER = 1_000_000;
const BATCH = 25;
const PARALLEL_BATCHES = 8;
/** Room for every request: this measures units, not seconds, and a request cut short reads less. */
const ROOMY_TIMEOUT_MS = 120_000;

type Doc = ReturnType<typeof createDocumentClient>;

/** Writes `items` with BatchWriteItem, 25 a call, several calls at once, retrying what comes back. */
async function batchWrite(doc: Doc, table: string, items: Record<string, unknown>[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL_BATCHES }, async () => {
      while (next < items.length) {
        const chunk = items.slice(next, next + BATCH);
        next += BATCH;
        let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const { UnprocessedItems } = await doc.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests } }),
          );
          requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }
    }),
  );
}

/** The sales made before the race: units 1 … `sold`, their uses, and the counter at `sold`. */
async function soldBefore(doc: Doc, table: string, sold: number, now: number): Promise<void> {
  const created_time = now - 86_400;
  const step = 5_000; // items built a step at a time: 200,000 at once would only cost memory
  for (let first = 1; first <= sold; first += step) {
    const items: Record<string, unknown>[] = [];
    for (let unit = first; unit < Math.min(first + step, sold + 1); unit++) {
      const sale = {
        coupon_id: COUPON_ID,
        user_id: EARLIER_BUYER + unit,
        order_id: orderNumber(created_time, unit, "Asia/Shanghai"),
        created_time,
      };
      items.push(itemOf(model.couponUnit, { ...sale, unit }), itemOf(model.couponUse, sale));
    }
    await batchWrite(doc, table, items);
  }
  const tickets = { coupon_id: COUPON_ID, issued: sold, taken_time: created_time };
  await doc.send(new PutCommand({ TableName: table, Item: itemOf(model.couponTickets, tickets) }));
}

export interface RaceResult {
  units: number;
  sold: number;
  outcomes: Outcome[];
  /** One per customer, in the order of `outcomes`. */
  tallies: Tally[];
  total: Tally;
  useCount: number;
  prefillSeconds: number;
}

/** `customers` at once for the last `left` units of a `units`-unit campaign. */
export async function campaignRace(
  endpoint: string,
  options: { customers: number; units: number; left: number },
): Promise<RaceResult> {
  const { customers, units, left } = options;
  const sold = units - left;
  const world = burstWorld({ customers, units });
  const setup = createDocumentClient({ endpoint });
  const table = `bench-capacity-${randomUUID()}`;
  await ensureTable(setup, table);
  await loadFixture({ doc: setup, table }, parseFixture(world.fixture));
  const prefillStarted = performance.now();
  if (sold > 0) await soldBefore(setup, table, sold, Math.floor(Date.now() / 1000));
  const prefillSeconds = (performance.now() - prefillStarted) / 1000;

  const meter = capacityMeter(endpoint, { exactWrites: false });
  const doc = sharedClient(endpoint, { emulateConflicts: false, configure: meter.configure });
  const counters = newCounters();
  const runs = await Promise.all(
    world.requests.map(async (request) => {
      const container = coldContainer(doc, table, counters, { timeoutMs: ROOMY_TIMEOUT_MS });
      const { result, tally } = await meter.measure(() => container.accept(request.userId, request.body));
      return { outcome: result, tally };
    }),
  );
  doc.destroy();
  meter.destroy();
  const useCount = await couponUseCount({ doc: setup, table }, COUPON_ID);
  setup.destroy();
  return {
    units,
    sold,
    outcomes: runs.map((run) => run.outcome),
    tallies: runs.map((run) => run.tally),
    total: meter.total,
    useCount,
    prefillSeconds,
  };
}
