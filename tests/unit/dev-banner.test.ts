// npm run dev's banner (scripts/dev-banner.ts, scripts/dev-example.ts): a token for a user the loaded
// fixture holds, a curl the rules accept, "code 0" only when that is so, and the seed and token commands.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseFixture } from "../../lib/store/fixture.ts";
import { bannerLines } from "../../scripts/dev-banner.ts";
import { devExample } from "../../scripts/dev-example.ts";

type Row = Record<string, unknown>;
const shop = () =>
  JSON.parse(readFileSync(new URL("../fixtures/shop.json", import.meta.url), "utf8")) as Record<
    string,
    Row[]
  >;
const NOW = 1_800_000_000;

/** The shop with its quotation rows replaced by `comm_orders`, and some users' rows changed. */
function shopWith(comm_orders: Row[], users: Row[] = shop().users ?? []) {
  return parseFixture({ ...shop(), comm_orders, users });
}
const quote = (fields: Row) => ({
  user_id: 1000,
  archive_id: 188,
  status: 2,
  quote_price: "99.00",
  ...fields,
});

test("the tests' shop (the demo's copy) offers the interface example to user 1000", () => {
  const example = devExample(parseFixture(shop()), NOW);
  assert.equal(example?.user.id, 1000);
  assert.equal(example?.accept?.interfaceExample, true);
  assert.equal(example?.accept?.quotation.id, 7);
  assert.deepEqual(example?.accept?.body, {
    goods_id: 188,
    quantity: 1,
    type: "goods",
    remark: "定制商品订单",
  });
});

test("without user 1000's quotation for product 188, another open quotation by comm_order_id, for its owner", () => {
  const example = devExample(
    shopWith([quote({ id: 42, user_id: 1001, archive_id: 205, quote_price: "12.34" })]),
    NOW,
  );
  assert.equal(example?.user.id, 1001);
  assert.deepEqual(example?.accept?.body, { comm_order_id: 42 });
  assert.equal(example?.accept?.interfaceExample, false);
});

test("a quotation the rules refuse is never offered: expired, not quoted, unpriced, banned buyer, unpublished product", () => {
  const refused = [
    quote({ id: 1, quote_expire_time: NOW - 1 }),
    quote({ id: 2, status: 1 }),
    quote({ id: 3, quote_price: "0" }),
    quote({ id: 4, user_id: 1003 }),
    quote({ id: 5, archive_id: 999 }),
  ];
  const users = [
    ...(shop().users ?? []).filter((user) => user.id !== 1003),
    { id: 1003, user_name: "banned", status: -1 },
  ];
  const example = devExample(shopWith(refused, users), NOW);
  assert.equal(example?.accept, undefined);
  assert.equal(example?.user.id, 1000, "still a token, for a user the fixture has");
  // Two quoted for product 188: by goods_id that is "several", so the example names its quotation.
  const two = devExample(shopWith([quote({ id: 8 }), quote({ id: 9 })]), NOW);
  assert.deepEqual(two?.accept?.body, { comm_order_id: 8 });
});

test("a fixture without users gets no token", () => {
  assert.equal(devExample(parseFixture({ goods: [{ id: 1 }] }), NOW), undefined);
});

test("the banner: token for the chosen user, the claim only when it holds, the seed and token commands", async () => {
  const base = { host: "127.0.0.1", http: 3000, secret: "s", generated: true };
  const file = `${process.cwd()}/fixtures/shop.json`;
  const fresh = (
    await bannerLines({ ...base, fixture: { file, items: parseFixture(shop()), alreadyThere: 0 } })
  ).join("\n");
  assert.match(fresh, /^Token for user 1000 \(alice, 24 h\): \S+$/m);
  assert.match(
    fresh,
    /^Try the interface example \(code 0 with an order: user 1000's quotation 7, product 188\):$/m,
  );
  assert.match(
    fresh,
    /^curl -s -X POST 'http:\/\/127\.0\.0\.1:3000\/api\/communication\/order\/accept' .*'$/m,
  );
  assert.match(
    fresh,
    /^Tokens: TOKEN_SECRET=s npm run token -- <userId> {3}\(a random secret for this run\)$/m,
  );
  assert.match(fresh, /^Load data: npm run seed -- fixtures\/shop\.json {3}\(into this run's table/m);

  const kept = (
    await bannerLines({
      ...base,
      http: 3100,
      fixture: { file, items: parseFixture(shop()), alreadyThere: 20 },
    })
  ).join("\n");
  assert.match(kept, /code 0 with an order if quotation 7 is still open: the table already held 20/);
  assert.match(kept, /^Load data: PORT=3100 npm run seed -- /m);

  const none = (await bannerLines(base)).join("\n");
  assert.doesNotMatch(none, /Token for user|^curl/m);
  assert.match(none, /^No fixture loaded \(FIXTURE=none\)/m);
  assert.match(none, /^Load data: npm run seed -- <fixture\.json>/m);
});
