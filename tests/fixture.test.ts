// Fixture files: validated whole, loaded with the project's keys, idempotent.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "../lib/store/client.ts";
import { FixtureError, parseFixture } from "../lib/store/fixture.ts";
import { ensureTable, tableDefinition } from "../lib/store/table.ts";
import { seed } from "../scripts/seed.ts";
import { demoFixture } from "./support/shop.ts";

const refuses = (fixture: unknown, message: string) =>
  assert.throws(() => parseFixture(fixture), new FixtureError(message));

test("a malformed fixture is refused naming the entity, the index and the field", () => {
  refuses(
    { users: [{ id: 1 }, { id: 2, status: "1" }] },
    'fixture users[1].status: Invalid type: Expected number but received "1"',
  );
  refuses({ goods: [{ id: 0 }] }, "fixture goods[0].id: Invalid value: Expected >=1 but received 0");
  refuses(
    { comm_orders: [{ id: 7, user_id: 1000, status: 9 }] },
    "fixture comm_orders[0].status: Invalid type: Expected (-1 | 0 | 1 | 2 | 3 | 4) but received 9",
  );
  refuses(
    { settings: { timezone: "Mars/Olympus" } },
    "fixture settings.timezone: timezone must be an IANA time zone name",
  );
  refuses({ users: [{ id: 1 }, { id: 1 }] }, "fixture users[1].id: duplicates users[0]");
  refuses(
    { customers: [] },
    "fixture customers: unknown key; a fixture's keys are settings, user_groups, users, goods, comm_orders, " +
      "addresses, coupons, coupon_codes",
  );
});

test("missing attributes take their defaults", () => {
  const [settings, user] = parseFixture({ settings: {}, users: [{ id: 5 }] });
  assert.deepEqual(settings, {
    pk: "SETTINGS",
    sk: "SETTINGS",
    entity: "Settings",
    seller_percent: 0,
    auto_close_minute: 0,
    allow_self: 0,
    become_retailer: 0,
    timezone: "Asia/Shanghai",
    language: "zh-CN",
  });
  assert.deepEqual(user, {
    pk: "USER#5",
    sk: "USER",
    entity: "User",
    id: 5,
    user_name: "",
    email: "",
    phone: "",
    group_id: 0,
    parent_id: 0,
    is_retailer: 0,
    status: 1,
  });
});

test("npm run seed creates the table, loads every entity, and loading twice changes nothing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "fixture-"));
  const file = join(dir, "demo.json");
  await writeFile(file, JSON.stringify(demoFixture()));
  const tableName = `seed-${randomUUID()}`;
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  const doc = createDocumentClient({ endpoint });
  const scan = async () =>
    ((await doc.send(new ScanCommand({ TableName: tableName }))).Items ?? []).sort((a, b) =>
      `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`),
    );

  assert.deepEqual(await seed({ file, tableName, endpoint }), {
    items: 20,
    written: 20,
    skipped: 0,
    replaced: 0,
    target: "local",
    createdTable: true,
  });
  const once = await scan();
  const entities = once.map((item) => item.entity);
  const count = (entity: string) => entities.filter((name) => name === entity).length;
  assert.deepEqual(
    ["Settings", "UserGroup", "User", "Goods", "CommOrder", "Address", "Coupon", "CouponCode", "Counter"].map(
      count,
    ),
    // No id counter: new address-book entries take their orders' ids (docs/data-model.md, "Ids").
    [1, 2, 7, 3, 3, 1, 2, 1, 0],
  );

  assert.deepEqual(await seed({ file, tableName, endpoint }), {
    items: 20,
    written: 0,
    skipped: 20,
    replaced: 0,
    target: "local",
    createdTable: false,
  });
  assert.deepEqual(await scan(), once);

  await writeFile(file, JSON.stringify({ ...demoFixture(), coupons: [{ id: 3, type: "gift" }] }));
  await assert.rejects(seed({ file, tableName, endpoint }), FixtureError);
  assert.deepEqual(await scan(), once, "a refused fixture writes nothing");
});

test("a local table kept from before the stream (DYNAMODB_PATH) gets its stream of new images", async () => {
  const client = createDocumentClient({ endpoint: process.env.DYNAMODB_ENDPOINT });
  const TableName = `old-${randomUUID()}`;
  const { StreamSpecification: _, ...withoutStream } = tableDefinition(TableName);
  await client.send(new CreateTableCommand(withoutStream));
  const stream = async () =>
    (await client.send(new DescribeTableCommand({ TableName }))).Table?.StreamSpecification;
  assert.equal(await stream(), undefined);
  assert.equal(await ensureTable(client, TableName), false);
  assert.deepEqual(await stream(), { StreamEnabled: true, StreamViewType: "NEW_IMAGE" });
  client.destroy();
});
