// Generated shops (fast-check): stored worlds valid by the data model (docs/data-model.md), written as raw items (optional attributes
// randomly omitted, text at its limits in any script, reward percents 0..100, promoter graphs with loops,
// coupons and vouchers in every state), each accepted once through the whole middy chain on DynamoDB
// Local. Every answer is 0 or -1 (never a 5xx); no money field is negative; shares never exceed the
// amount; nobody earns twice; refusals write nothing and never come from a cancelled transaction (there
// is no concurrency here); the table keeps every invariant.
// FUZZ_WORLDS sets the count (default 400; `npm run test:deep` 1,000); FUZZ_SEED (and FUZZ_PATH) replay a reported failure.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BatchWriteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { signToken } from "../lib/auth/token.ts";
import { keys, lookupKeys } from "../lib/store/keys.ts";
import { assertSoundAnswer, callRecorder, outcomeTally, rejectionWatch, runs } from "./support/generated.ts";
import { invariantViolations } from "./support/invariants.ts";
import { assertProperty } from "./support/seeds.ts";
import { EVENT_SECRET, type Item, openShop } from "./support/shop.ts";

const WORLDS = runs("FUZZ_WORLDS", 400);
const NOW = 1_700_000_000;

type Row = Record<string, unknown>;

/**
 * Refusals only a cancelled transaction produces (lib/accept/accept-quotation.ts: writeWithRetries and
 * explainQuotationChange). Without concurrency they mean a transaction condition read a stored item
 * differently from the reads, e.g. a missing attribute without its default (docs/data-model.md).
 */
const CANCELLATION_ONLY = [
  "the order could not be placed: please try again",
  "the quotation's price changed while accepting: review the new price and accept again",
  "the quotation changed while accepting: please try again",
];

/** Optional attributes are each left out now and then: stored items take their defaults (docs/data-model.md). */
function someOf<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<Partial<T>> {
  return fc.record(model, { requiredKeys: [] }) as unknown as fc.Arbitrary<Partial<T>>;
}

/** Mostly `usual`, sometimes one of `rare`. */
const mostly = <T>(usual: T, ...rare: T[]) =>
  fc.oneof({ weight: 19, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });

/** Text of exactly `max` characters (code points) in one script, or short text: valid by the data model (docs/data-model.md). */
const text = (max: number) =>
  fc.oneof(
    fc.constantFrom("", "Alice", "李雷"),
    fc
      .constantFrom("x", "汉", "😀", "e\u0301", "\u0000", "\u200f")
      .map((unit) => unit.repeat(Math.floor(max / [...unit].length))),
    fc.string({ unit: "grapheme", maxLength: Math.min(max, 8) }),
  );

const percent = fc.oneof(fc.constantFrom(0, 1, 50, 60, 99, 100), fc.integer({ min: 0, max: 100 }));
const moment = fc.constantFrom(0, NOW - 86_400, NOW - 1, NOW + 1, NOW + 86_400);
const quotePrice = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom("", "0", "-1", "1e3", "1.234", "abc", " 12 ") },
  fc.constantFrom("99", "99.5", "99.00", "0.01", "450.50", "99999999999.99"),
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2)) },
);

const ADDRESS = {
  name: text(64),
  last_name: text(64),
  phone: text(20),
  email: text(100),
  province: text(100),
  city: text(100),
  town: text(100),
  country: text(100),
  address_info: text(255),
  company: text(250),
  postcode: text(36),
};

/** A world's entities, with its ids offset by `base` so that every world lives beside the others. */
const world = fc.record({
  settings: someOf({
    seller_percent: percent,
    auto_close_minute: fc.constantFrom(0, 30, 1440),
    allow_self: fc.constantFrom(0, 1),
    become_retailer: fc.constantFrom(0, 1),
    timezone: fc.constantFrom("Asia/Shanghai", "UTC", "America/Los_Angeles", "Asia/Kathmandu"),
    language: fc.constantFrom("zh-CN", "zh-TW", "en-US"),
  }),
  groups: fc.array(
    someOf({
      title: text(250),
      status: fc.constantFrom(0, 1),
      setting: someOf({ share_reward: percent, parent_reward: percent, discount: percent }),
    }),
    { minLength: 2, maxLength: 2 },
  ),
  // Users 1..4: the buyer, two referrers, the seller. parent_id may point anywhere, themselves included.
  users: fc.array(
    someOf({
      user_name: text(250),
      email: text(250),
      phone: text(20),
      group: fc.constantFrom(0, 1, 2, 9),
      parent: fc.constantFrom(0, 1, 2, 3, 4, 9),
      is_retailer: fc.constantFrom(0, 1),
      status: mostly(1, 0, -1),
    }),
    { minLength: 4, maxLength: 4 },
  ),
  goods: someOf({
    title: text(250),
    price: fc.nat(1_000_000),
    seller: fc.constantFrom(0, 4, 4),
    status: mostly(1, 0),
    skus: fc.array(someOf({ title: text(250), price: fc.nat(100_000) }), { maxLength: 2 }),
  }),
  quotation: fc.record(
    {
      title: text(250),
      content: text(500),
      phone: text(20),
      status: mostly(2, 0, 1, 4, -1),
      quote_price: quotePrice,
      quote_content: text(500),
      quote_expire_time: mostly(0, NOW - 1, NOW + 86_400),
    },
    { requiredKeys: ["status", "quote_price"] },
  ),
  // A saved address mostly complete (its required fields present), sometimes with any field missing.
  address: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(ADDRESS, {
        requiredKeys: ["name", "phone", "province", "city", "country", "address_info", "postcode"],
      }),
    },
    { weight: 1, arbitrary: someOf(ADDRESS) },
  ),
  coupons: fc.array(
    someOf({
      title: text(250),
      type: fc.constantFrom("reduce", "discount"),
      amount: fc.oneof(fc.nat(2_000_000), fc.constantFrom(0, 100, 1000)),
      percent: fc.integer({ min: 1, max: 99 }),
      min_amount: fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.nat(1_000_000) },
      ),
      start_time: mostly(0, NOW - 86_400, NOW + 1),
      end_time: mostly(0, NOW - 1, NOW + 86_400),
      status: mostly(1, 0, -1),
      goods: fc.constantFrom("all", "this", "other"),
      total: fc.constantFrom(0, 0, 1, 2, 5),
      used: fc.constantFrom(0, 0, 1, 2, 5),
      public: fc.constantFrom(0, 1, 1),
    }),
    { minLength: 2, maxLength: 2 },
  ),
  // Vouchers of the buyer on coupon 2, sharing one code, in every state.
  vouchers: fc.array(someOf({ status: fc.constantFrom(0, 0, 1, -1), expire_time: moment }), {
    minLength: 0,
    maxLength: 3,
  }),
  usedCampaignBefore: fc.boolean(),
  request: fc.record(
    {
      quantity: fc.constantFrom(0, 1, 2, 9999),
      goods_sku_id: mostly(0, 1),
      coupon: fc.constantFrom("none", "coupon_id", "coupon_id", "coupon_code", "coupon_code_id", "both"),
      address: fc.constantFrom("none", "saved", "new", "saved with overrides"),
      remark: fc.option(text(250), { nil: undefined, freq: 3 }),
    },
    { requiredKeys: ["quantity", "coupon", "address"] },
  ),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

/** The raw items of world number `n`, and the body its buyer sends. */
function build(w: World, n: number) {
  const base = 100_000 + n * 10;
  const userId = (index: number) => (index >= 1 && index <= 4 ? base + index : index === 9 ? base + 9 : 0);
  const groupId = (index: number) => (index === 0 ? 0 : base + index);
  const items: Row[] = [];
  const add = (key: object, entity: string, attributes: Row) => items.push({ ...key, entity, ...attributes });
  w.groups.forEach((group, i) => {
    add(keys.userGroup(base + i + 1), "UserGroup", { id: base + i + 1, ...group });
  });
  w.users.forEach((user, i) => {
    const { group, parent, ...rest } = user;
    add(keys.user(base + i + 1), "User", {
      id: base + i + 1,
      ...rest,
      ...(group === undefined ? {} : { group_id: groupId(group) }),
      ...(parent === undefined ? {} : { parent_id: userId(parent) }),
    });
  });
  const goodsId = base + 1;
  const { seller, skus, ...goods } = w.goods;
  add(keys.goods(goodsId), "Goods", {
    id: goodsId,
    ...goods,
    ...(seller === undefined ? {} : { user_id: userId(seller) }),
    ...(skus ? { skus: skus.map((sku, i) => ({ id: base + i + 1, ...sku })) } : {}),
  });
  const buyer = base + 1;
  add(keys.commOrder(buyer, base + 1), "CommOrder", {
    id: base + 1,
    user_id: buyer,
    archive_id: goodsId,
    admin_id: 1,
    order_id: "",
    ...w.quotation,
  });
  add(keys.address(buyer, base + 1), "Address", { id: base + 1, user_id: buyer, ...w.address });
  const ghosts: string[] = [];
  w.coupons.forEach((coupon, i) => {
    const { goods: scope, total, used, ...rest } = coupon;
    const goodsIds =
      scope === "this" ? [goodsId] : scope === "other" ? [goodsId + 1] : scope ? [] : undefined;
    add(keys.coupon(base + i + 1), "Coupon", {
      id: base + i + 1,
      ...rest,
      ...(goodsIds ? { goods_ids: goodsIds } : {}),
      ...(total === undefined ? {} : { total }),
      ...(used === undefined ? {} : { used: total ? Math.min(used, total) : used }),
    });
  });
  const code = `CODE-${n}`;
  w.vouchers.forEach((voucher, i) => {
    const key = keys.couponCode(buyer, base + i + 1);
    if (voucher.status === 1) ghosts.push(`${key.pk}|${key.sk}`); // spent on an order outside this world
    add(key, "CouponCode", {
      ...lookupKeys.voucher(buyer, base + i + 1, code), // as every writer sets them (docs/data-model.md)
      id: base + i + 1,
      coupon_id: base + 2,
      code,
      user_id: buyer,
      ...voucher,
      ...(voucher.status === 1 ? { used_order_id: `GHOST-${n}-${i}`, used_time: NOW - 100 } : {}),
    });
  });
  if (w.usedCampaignBefore) {
    const key = keys.couponUse(base + 1, buyer);
    ghosts.push(`${key.pk}|${key.sk}`);
    add(key, "CouponUse", {
      coupon_id: base + 1,
      user_id: buyer,
      order_id: `GHOST-${n}`,
      created_time: NOW - 100,
    });
  }

  const r = w.request;
  const body: Row = { comm_order_id: base + 1, quantity: r.quantity };
  if (r.goods_sku_id) body.goods_sku_id = base + 1;
  if (r.remark !== undefined) body.remark = r.remark;
  if (r.coupon === "coupon_id") body.coupon_id = base + 1;
  if (r.coupon === "both") body.coupon_id = base + 2; // the vouchers' own coupon
  if (r.coupon === "coupon_code" || r.coupon === "both") body.coupon_code = code;
  if (r.coupon === "coupon_code_id") body.coupon_code_id = base + 1;
  if (r.address === "saved") body.address = { id: base + 1 };
  if (r.address === "saved with overrides") body.address = { id: base + 1, phone: "13800000001" };
  if (r.address === "new") {
    body.address = {
      name: "Li Lei",
      phone: "13800000000",
      province: "浙江",
      city: "杭州",
      country: "西湖",
      address_info: "1 Longjing Road 😀",
      postcode: "310000",
    };
  }
  return { items, settings: w.settings as Row, buyer, body, ghosts };
}

test(`${WORLDS} generated worlds valid by the data model (docs/data-model.md): 0 or -1, never a 5xx, never a wrong cent`, async () => {
  const recorder = callRecorder();
  const shop = await openShop({}, { now: () => NOW, configure: recorder.configure });
  const rejections = rejectionWatch();
  const ghosts = new Set<string>();
  const tally = outcomeTally("accepted");
  let n = 0;
  try {
    await assertProperty(
      "generated-worlds",
      fc.asyncProperty(world, async (w) => {
        n += 1;
        const built = build(w, n);
        for (const ghost of built.ghosts) ghosts.add(ghost);
        await shop.doc.send(
          new PutCommand({
            TableName: shop.table,
            Item: { ...keys.settings(), entity: "Settings", ...built.settings },
          }),
        );
        for (let i = 0; i < built.items.length; i += 25) {
          const chunk = built.items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
          await shop.doc.send(new BatchWriteCommand({ RequestItems: { [shop.table]: chunk } }));
        }
        const token = await signToken(EVENT_SECRET, built.buyer, NOW + 86_400);
        const { result: answer, calls } = await recorder.record(() =>
          shop.accept(built.body, { token, headers: { "accept-language": "en-US" } }),
        );
        const what = `world ${n} ${JSON.stringify(built.body)} → ${answer.code} ${answer.msg}`;
        assertSoundAnswer(answer, calls, what);
        assert.ok(answer.code === 0 || answer.code === -1 || answer.code === 1002, what);
        if (answer.code === 0) {
          const order = answer.data;
          const earners = [order.share_user_id, order.share_parent_user_id].filter((id) => id !== 0);
          assert.equal(new Set(earners).size, earners.length, `${what}: nobody earns twice`);
          assert.notEqual(
            order.share_parent_user_id,
            built.buyer,
            `${what}: the buyer is never their own parent`,
          );
          if (order.share_user_id === built.buyer) {
            const s = built.settings as Row;
            const buyerRow = w.users[0] ?? {};
            assert.ok(
              s.allow_self === 1 && (s.become_retailer === 1 || buyerRow.is_retailer === 1),
              `${what}: the buyer earns only under allow_self`,
            );
          }
        } else {
          // One request at a time: a transaction is only attempted once every read agreed, so no refusal
          // may follow one (a cancellation means a condition disagreed with the reads on a stored default).
          assert.ok(!CANCELLATION_ONLY.includes(answer.msg), `${what}: a cancellation, with no concurrency`);
          assert.deepEqual(
            calls.filter((call) => call.command === "TransactWriteItems"),
            [],
            `${what}: a refusal after the transaction was attempted`,
          );
        }
        tally.add(answer);
      }),
      // A world costs a table's worth of writes and this file is the suite's longest: each known seed
      // replays its first tenth, so that the three add 30 % to the file, not 300 % (docs/testing.md).
      { numRuns: WORLDS, knownSeedRuns: Math.ceil(WORLDS / 10) },
    );
  } finally {
    rejections.stop();
  }
  assert.deepEqual(rejections.seen, [], "no unhandled rejection");
  // Every invariant over all the worlds, leaving out what the generator put there as history
  // (vouchers spent and coupon uses made on orders outside the table).
  const items = (await shop.items()).filter((item: Item) => !ghosts.has(`${item.pk}|${item.sk}`));
  assert.deepEqual(invariantViolations(items), []);
  console.log(tally.summary(`generated worlds: ${n} (known seeds, then this run)`));
  assert.ok(tally.count("accepted") >= WORLDS / 10, "at least a tenth of the worlds are accepted");
});
