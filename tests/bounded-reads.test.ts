// Finding 4 of the security review (issue 26): an accept by goods_id, and a voucher by coupon_code, read
// the same number of items whatever the customer's history. Bob holds 20,000 other quotations (2,000 of
// them accepted ones of the same product) and 2,000 other vouchers; the accept reads exactly what it reads
// for a customer with three accepted quotations of the product (as many as a retry by goods_id compares,
// RETRY_CANDIDATES) and no other voucher. Items and capacity units are counted
// as DynamoDB Local returns them (ScannedCount, ConsumedCapacity), never time.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { RETRY_CANDIDATES } from "../lib/domain/quotation.ts";
import { createDocumentClient } from "../lib/store/client.ts";
import { type FixtureItem, parseFixture } from "../lib/store/fixture.ts";
import { keys, userPartition } from "../lib/store/keys.ts";
import { reindexLookups } from "../lib/store/reindex.ts";
import { ensureTable, tableDefinition } from "../lib/store/table.ts";
import { assertAccepted } from "./support/answers.ts";
import { demoWith } from "./support/fixtures.ts";
import { update } from "./support/operator.ts";
import { localEndpoint, openShop, type Shop } from "./support/shop.ts";

const BOB = 1001;
const NOW = 1_700_000_000;
const OTHER_QUOTATIONS = 20_000;
const ACCEPTED_OF_THE_PRODUCT = 2_000;
const OTHER_VOUCHERS = 2_000;
/** Bob's open quotation 8 is for product 205; he holds voucher WELCOME10 (fixtures/demo.json). */
const BODY = { goods_id: 205, quantity: 1, coupon_code: "WELCOME10" };

/** What the handler's reads returned: items (a Query's ScannedCount, a GetItem's item) and read units. */
function readMeter() {
  const meter = { items: 0, capacityUnits: 0, calls: 0 };
  const configure = (client: DynamoDBClient) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = String(context.commandName);
        const reads = command.startsWith("GetItem") || command.startsWith("Query");
        if (reads) (args.input as Record<string, unknown>).ReturnConsumedCapacity = "TOTAL";
        const result = await next(args);
        if (reads) {
          const output = result.output as {
            Item?: unknown;
            ScannedCount?: number;
            ConsumedCapacity?: { CapacityUnits?: number };
          };
          meter.calls += 1;
          meter.items += command.startsWith("Query") ? (output.ScannedCount ?? 0) : output.Item ? 1 : 0;
          meter.capacityUnits += output.ConsumedCapacity?.CapacityUnits ?? 0;
        }
        return result;
      },
      { step: "initialize", name: "readMeter" },
    );
  const reset = () => Object.assign(meter, { items: 0, capacityUnits: 0, calls: 0 });
  return { meter, configure, reset };
}

/** Bob's history: quotations of every status over 1,000 other products and 2,000 accepted ones of 205. */
function history(): Record<string, unknown> {
  const statuses = [0, 1, 2, 3, 4, -1];
  const comm_orders = Array.from({ length: OTHER_QUOTATIONS }, (_, i) => {
    const ofTheProduct = i < ACCEPTED_OF_THE_PRODUCT;
    const status = ofTheProduct ? 3 : (statuses[i % statuses.length] as number);
    return {
      id: 100_000 + i,
      user_id: BOB,
      archive_id: ofTheProduct ? 205 : 10_000 + (i % 1_000),
      title: `Earlier request ${i}`,
      status,
      quote_price: "10.00",
      order_id: status === 3 ? `2023111412000${String(i).padStart(5, "0")}` : "",
      accepted_time: status === 3 ? NOW - 86_400 - i : 0,
    };
  });
  const coupon_codes = Array.from({ length: OTHER_VOUCHERS }, (_, i) => ({
    id: 100_000 + i,
    coupon_id: 1,
    code: `OTHER-${i}`,
    user_id: BOB,
    status: i % 3 === 0 ? 1 : 0,
    ...(i % 3 === 0 ? { used_order_id: `earlier-${i}`, used_time: NOW - 3600 } : {}),
  }));
  return { comm_orders, coupon_codes };
}

/** Writes items as the fixture loader makes them (lookup keys included), 25 a request, 2 requests at once:
 * more would starve the other test files of the one DynamoDB Local they share. */
async function writeAll(shop: Shop, items: FixtureItem[]) {
  const chunks: FixtureItem[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length > 0) {
        const { UnprocessedItems } = await shop.doc.send(
          new BatchWriteCommand({ RequestItems: { [shop.table]: requests } }),
        );
        requests = (UnprocessedItems?.[shop.table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 2 }, worker));
}

test("accepting by goods_id with a coupon_code reads a fixed number of items, whatever the history", async (t) => {
  const quiet = readMeter();
  // The yardstick: bob with RETRY_CANDIDATES accepted quotations of product 205, no voucher but WELCOME10.
  const few = history() as { comm_orders: Record<string, unknown>[] };
  const fresh = await openShop(demoWith({ comm_orders: few.comm_orders.slice(0, RETRY_CANDIDATES) }), {
    configure: quiet.configure,
    now: () => NOW,
  });
  assertAccepted(await fresh.accept(BODY, { userId: BOB }));
  const yardstick = { ...quiet.meter };

  const busy = readMeter();
  const shop = await openShop(undefined, { configure: busy.configure, now: () => NOW });
  const started = Date.now();
  await writeAll(shop, parseFixture(history()));
  t.diagnostic(`wrote ${OTHER_QUOTATIONS + OTHER_VOUCHERS} items in ${Date.now() - started} ms`);

  // What the partition query this replaced would read: every quotation bob has, before its filter.
  const { ScannedCount } = await shop.doc.send(
    new QueryCommand({
      TableName: shop.table,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :comm)",
      FilterExpression: "archive_id = :goods",
      ExpressionAttributeValues: { ":pk": userPartition(BOB), ":comm": "COMM#", ":goods": 205 },
    }),
  );
  t.diagnostic(`the partition query this replaced scans ${ScannedCount} items`);
  assert.ok((ScannedCount ?? 0) >= OTHER_QUOTATIONS, `a partition query scans ${ScannedCount}`);

  busy.reset();
  const order = assertAccepted(await shop.accept(BODY, { userId: BOB }));
  assert.deepEqual([order.comm_order_id, order.coupon_code_id, order.discount_amount], [8, 1, 1000]);
  const accepted = { ...busy.meter };
  t.diagnostic(
    `reads of the accept: ${JSON.stringify(accepted)}; without the history: ${JSON.stringify(yardstick)}`,
  );
  assert.deepEqual(
    [accepted.items, accepted.calls, accepted.capacityUnits],
    [yardstick.items, yardstick.calls, yardstick.capacityUnits],
    "the same reads as a customer without the history",
  );
  // The bound itself: lookups of at most 3 quoted and RETRY_CANDIDATES accepted quotations and of the
  // code's vouchers, each re-read by key, plus buyer, product, coupon and settings: 20 items at most.
  const BOUND = 20;
  assert.ok(accepted.items <= BOUND, `${accepted.items} items read`);

  // The identical retry replays the order: the newest accepted quotation of 205 is quotation 8.
  busy.reset();
  const replayed = assertAccepted(await shop.accept(BODY, { userId: BOB }));
  assert.equal(replayed.order_id, order.order_id);
  t.diagnostic(`reads of the replay: ${JSON.stringify(busy.meter)}`);
  assert.ok(busy.meter.items <= BOUND, `${busy.meter.items} items read by the replay`);
});

test("npm run reindex gives items written without lookup keys theirs, and corrects stale ones", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const put = (Item: Record<string, unknown>) =>
    shop.doc.send(new PutCommand({ TableName: shop.table, Item }));
  // As a writer unaware of the index would leave them: a quoted quotation of bob's for product 188 and a
  // voucher without keys, and alice's quotation 7 cancelled by hand with its quoted entry left behind.
  await put({ ...keys.commOrder(BOB, 60), entity: "CommOrder", id: 60, user_id: BOB, archive_id: 188 });
  await update(shop, keys.commOrder(BOB, 60), "SET #s = :two, quote_price = :p", {
    ":two": 2,
    ":p": "50.00",
  });
  await put({
    ...keys.couponCode(BOB, 61),
    entity: "CouponCode",
    id: 61,
    coupon_id: 1,
    code: "RAW",
    user_id: BOB,
  });
  await update(shop, keys.commOrder(1000, 7), "SET #s = :cancelled", { ":cancelled": -1 });
  const before = await shop.accept({ goods_id: 188, coupon_code: "RAW" }, { userId: BOB });
  assert.deepEqual([before.code, before.msg], [-1, "no quotation awaits you for goods_id 188"]);

  assert.deepEqual(await reindexLookups({ doc: shop.doc, table: shop.table }), {
    scanned: 6, // quotations 7, 8, 9, 60 and vouchers 1, 61
    updated: 3, // 60 and 61 given keys, 7's stale entry removed
    malformed: 0,
  });
  const cancelled = (await shop.items()).find(
    (item) => item.pk === userPartition(1000) && item.sk === "COMM#7",
  );
  assert.equal(cancelled?.lookup_pk, undefined);
  const order = assertAccepted(await shop.accept({ goods_id: 188, coupon_code: "RAW" }, { userId: BOB }));
  assert.deepEqual([order.comm_order_id, order.coupon_code_id], [60, 61]);
  assert.equal((await reindexLookups({ doc: shop.doc, table: shop.table })).updated, 0, "nothing left to do");
});

test("a local table kept from before the index (DYNAMODB_PATH) gets it, and its items their keys", async () => {
  const setup = createDocumentClient({ endpoint: localEndpoint() });
  const table = `test-${randomUUID()}`;
  const { GlobalSecondaryIndexes: _index, ...before } = tableDefinition(table);
  await setup.send(
    new CreateTableCommand({
      ...before,
      AttributeDefinitions: before.AttributeDefinitions?.filter(
        ({ AttributeName }) => !/^lookup/.test(AttributeName ?? ""),
      ),
    }),
  );
  const quotation = { ...keys.commOrder(BOB, 8), entity: "CommOrder", id: 8, user_id: BOB, archive_id: 205 };
  await setup.send(
    new PutCommand({ TableName: table, Item: { ...quotation, status: 2, quote_price: "9.00" } }),
  );
  assert.equal(await ensureTable(setup, table), false, "not created: it existed");
  const { Table } = await setup.send(new DescribeTableCommand({ TableName: table }));
  assert.deepEqual(
    Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName),
    ["lookup"],
  );
  const { Item } = await setup.send(new GetCommand({ TableName: table, Key: keys.commOrder(BOB, 8) }));
  assert.equal(Item?.lookup_pk, "USER#1001#QUOTED#GOODS#205");
});
