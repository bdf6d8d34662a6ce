// Loading never rewinds live data (docs/data-model.md): a fixture loaded again over a table that has taken orders
// leaves every existing item as it is; replacing is explicit and local only; AWS is explicit too, and a
// refusal happens before any network call.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../lib/store/client.ts";
import { type FixtureItem, loadFixture, parseFixture } from "../lib/store/fixture.ts";
import { ensureTable } from "../lib/store/table.ts";
import { describeSeed, isLocalEndpoint, SeedRefused, seed } from "../scripts/seed.ts";
import { couponFixture, one, openCouponShop, useCount } from "./support/coupons.ts";
import { faultInjector, transactionConflict } from "./support/faults.ts";
import { ALICE, BOB, coupon, NOW, quotation } from "./support/rows.ts";

const endpoint = process.env.DYNAMODB_ENDPOINT;

async function fixtureFile(fixture: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), "reload-")), "fixture.json");
  await writeFile(file, JSON.stringify(fixture));
  return file;
}

// The demo shop, with a campaign coupon (2) and a second quotation of bob's (10) to redeem it on.
const world = {
  coupons: [
    coupon({ id: 1, title: "10 off orders over 50", amount: 1000, min_amount: 5000 }),
    coupon({ id: 2, type: "discount", percent: 90, goods_ids: [205], total: 100, public: 1 }),
  ],
  comm_orders: [quotation({ id: 10, user_id: BOB, quote_price: "99.99" })],
};

test("loading the same fixture after orders leaves quotations accepted, vouchers spent, coupon counts kept", async () => {
  const shop = await openCouponShop(world);
  const byVoucher = await shop.accept({ comm_order_id: 8, coupon_code: "WELCOME10" }, { userId: BOB });
  const byCampaign = await shop.accept({ comm_order_id: 10, coupon_id: 2 }, { userId: BOB });
  const plain = await shop.accept({ comm_order_id: 7 }, { userId: ALICE });
  for (const answer of [byVoucher, byCampaign, plain]) assert.equal(answer.code, 0, answer.msg);
  const before = await shop.items();
  const sorted = (items: typeof before) =>
    [...items].sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));

  const fixture = couponFixture(world);
  const report = await seed({ file: await fixtureFile(fixture), tableName: shop.table, endpoint });
  assert.deepEqual(report, {
    items: 21,
    written: 0,
    skipped: 21,
    replaced: 0,
    target: "local",
    createdTable: false,
  });
  assert.equal(describeSeed(report), "21 items: 0 written, 21 already there and left as they were");
  assert.deepEqual(sorted(await shop.items()), sorted(before), "not one item changed, counters included");

  // What that means, item by item.
  for (const [id, answer] of [
    [8, byVoucher],
    [10, byCampaign],
  ] as const) {
    const accepted = await one(shop, "CommOrder", { id });
    assert.deepEqual([accepted.status, accepted.order_id], [3, answer.data.order_id]);
  }
  const alices = await one(shop, "CommOrder", { id: 7 });
  assert.deepEqual([alices.status, alices.order_id], [3, plain.data.order_id]);
  const voucher = await one(shop, "CouponCode", { code: "WELCOME10" });
  assert.deepEqual(
    [voucher.status, voucher.used_order_id, voucher.used_time],
    [1, byVoucher.data.order_id, NOW],
  );
  assert.equal(await useCount(shop, 2), 1);
  assert.equal(
    (await one(shop, "CouponUse", { coupon_id: 2, user_id: BOB })).order_id,
    byCampaign.data.order_id,
  );

  // The accepted quotation still refuses a different request, and still replays the same one.
  const different = await shop.accept({ comm_order_id: 8 }, { userId: BOB });
  assert.deepEqual(
    [different.code, different.msg],
    [-1, "quotation has already been accepted with a different request"],
  );
  const replay = await shop.accept({ comm_order_id: 8, coupon_code: "WELCOME10" }, { userId: BOB });
  assert.deepEqual([replay.code, replay.data.order_id], [0, byVoucher.data.order_id]);
  assert.equal((await shop.counts()).Order, 3);

  // A fixture that grew: only the new item is written.
  const grown = couponFixture({
    ...world,
    comm_orders: [...world.comm_orders, quotation({ id: 11, user_id: ALICE, quote_price: "12.00" })],
  });
  const more = await seed({ file: await fixtureFile(grown), tableName: shop.table, endpoint });
  assert.deepEqual([more.written, more.skipped], [1, 21]);
  assert.equal((await one(shop, "CommOrder", { id: 11 })).status, 2);
  assert.equal((await one(shop, "CommOrder", { id: 8 })).status, 3);
});

test("--replace overwrites existing items, locally: the explicit way to reopen the demo", async () => {
  const shop = await openCouponShop(world);
  assert.equal((await shop.accept({ comm_order_id: 8, coupon_code: "WELCOME10" }, { userId: BOB })).code, 0);
  const file = await fixtureFile(couponFixture(world));
  const report = await seed({ file, tableName: shop.table, endpoint, replace: true });
  assert.deepEqual([report.written, report.skipped, report.replaced], [0, 0, 21]);
  assert.equal(describeSeed(report), "21 items: 0 written, 21 already there and replaced");
  assert.equal((await one(shop, "CommOrder", { id: 8 })).status, 2);
  assert.equal((await one(shop, "CouponCode", { code: "WELCOME10" })).status, 0);
  // The order it wrote is not the fixture's: it stays, and the id counters never go back.
  assert.equal((await shop.counts()).Order, 1);
});

test("a local endpoint is this machine: localhost, 127.0.0.0/8, [::1]", () => {
  const local = [
    "http://localhost:8000",
    "http://LOCALHOST:1",
    "http://127.0.0.1:8000",
    "http://127.1.2.3",
    "http://[::1]:8000",
  ];
  const remote = [
    "https://dynamodb.us-east-1.amazonaws.com",
    "http://dynamodb-local:8000",
    "http://192.168.1.10:8000",
    "http://localhost.example.com:8000",
    "http://128.0.0.1:8000",
    "not a url",
  ];
  assert.deepEqual(
    local.map(isLocalEndpoint),
    local.map(() => true),
  );
  assert.deepEqual(
    remote.map(isLocalEndpoint),
    remote.map(() => false),
  );
});

/** SDK middleware that records every request the loader's client would send, and sends none. */
function recorder(answer: () => Error) {
  const sent: string[] = [];
  let clients = 0;
  const configure = (client: DynamoDBClient) => {
    clients += 1;
    client.middlewareStack.add(
      (_next, context) => async () => {
        sent.push(String(context.commandName));
        throw answer();
      },
      { step: "initialize", priority: "high", name: "recorder" },
    );
  };
  return { configure, sent, clients: () => clients };
}

test("against AWS without --aws the loader refuses before any network call", async () => {
  const file = await fixtureFile(couponFixture(world));
  const cases = [
    {
      endpoint: undefined,
      message:
        "the target is AWS (no DYNAMODB_ENDPOINT), not this machine: nothing was sent. To load it (existing items are left as they are), say so with --aws",
    },
    {
      endpoint: "https://dynamodb.ap-east-1.amazonaws.com",
      message:
        "the target is DYNAMODB_ENDPOINT https://dynamodb.ap-east-1.amazonaws.com, not this machine: nothing was sent. To load it (existing items are left as they are), say so with --aws",
    },
    {
      endpoint: "https://dynamodb.ap-east-1.amazonaws.com",
      aws: true,
      replace: true,
      message:
        "--replace is allowed only against a local endpoint; the target is DYNAMODB_ENDPOINT https://dynamodb.ap-east-1.amazonaws.com",
    },
  ];
  for (const { message, ...target } of cases) {
    const spy = recorder(() => new Error("a request was about to leave"));
    await assert.rejects(
      seed({ file, tableName: "anqicms-orders-prod", ...target, configure: spy.configure }),
      new SeedRefused(message),
    );
    assert.deepEqual([spy.clients(), spy.sent], [0, []], "no client was even built");
  }

  // The control: with --aws the same spy does see the loader's first call, and the loader, finding no
  // table, refuses to create one (the stack owns it).
  const spy = recorder(
    () => new ResourceNotFoundException({ message: "Requested resource not found", $metadata: {} }),
  );
  await assert.rejects(
    seed({
      file,
      tableName: "anqicms-orders-prod",
      endpoint: undefined,
      aws: true,
      configure: spy.configure,
    }),
    new SeedRefused(
      "table anqicms-orders-prod does not exist: on AWS the stack creates it (npx osls deploy), never the loader",
    ),
  );
  assert.deepEqual(spy.sent, ["DescribeTableCommand"]);
});

test("a load cancelled by a conflict is sent again; one cancelled by existing items goes on without them", async () => {
  const faults = faultInjector();
  const table = `reload-${randomUUID()}`;
  const doc = createDocumentClient({ endpoint, configure: faults.configure });
  await ensureTable(doc, table);
  const items = parseFixture(couponFixture(world));
  let conflicts = 0;
  faults.set(async (attempt, send) => {
    if (attempt.command === "TransactWriteItems" && conflicts++ === 0) throw transactionConflict(attempt);
    return send();
  });
  assert.deepEqual(await loadFixture({ doc, table }, items), { written: 21, skipped: 0, replaced: 0 });
  assert.deepEqual(
    faults.of("TransactWriteItems").map((attempt) => attempt.outcome),
    ["TransactionCanceledException", "ok"],
  );

  // Three items gone: the next load writes only those three, the rest being there.
  faults.clear();
  const [first, second, third] = items as [FixtureItem, FixtureItem, FixtureItem];
  for (const gone of [first, second, third]) {
    await doc.send(new DeleteCommand({ TableName: table, Key: { pk: gone.pk, sk: gone.sk } }));
  }
  const before = faults.of("TransactWriteItems").length;
  assert.deepEqual(await loadFixture({ doc, table }, items), { written: 3, skipped: 18, replaced: 0 });
  const sent = faults.of("TransactWriteItems").slice(before);
  assert.deepEqual(
    sent.map((attempt) => (attempt.input.TransactItems as unknown[]).length),
    [21, 3],
    "cancelled whole by the 18 that exist, then the 3 alone",
  );
  doc.destroy();
});
