// Rule 7 (docs/accept.md) end to end: who earns what, and the commission records written with the order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { demoWith } from "./support/fixtures.ts";
import { type Answer, openShop } from "./support/shop.ts";

/** Who shares in an order and how much: [promoter, their cents, promoter's parent, their cents]. */
const shares = (order: Answer["data"]) => [
  order.share_user_id,
  order.share_amount,
  order.share_parent_user_id,
  order.share_parent_amount,
];

test("promoter, their parent and the seller each get a record, in floor cents", async () => {
  const shop = await openShop();
  // bob (1001) was referred by carol (1002, retailer, group 2: 15% / 5%), referred by dave (1003, retailer).
  const answer = await shop.accept({ comm_order_id: 8 }, { userId: 1001 });
  assert.equal(answer.code, 0, answer.msg);
  const order = answer.data;
  assert.equal(order.amount, 45050);
  assert.deepEqual(shares(order), [1002, 6757, 1003, 2252]);
  assert.deepEqual([order.seller_id, order.seller_amount], [15, 28832]); // (45050 - 6757 - 2252) × 80%
  const records = (await shop.ofEntity("Commission"))
    .map((c) => [c.type, c.user_id, c.amount, c.order_amount, c.status, c.order_id])
    .sort();
  assert.deepEqual(records, [
    ["seller", 15, 28832, 45050, 0, order.order_id],
    ["share", 1002, 6757, 45050, 0, order.order_id],
    ["share_parent", 1003, 2252, 45050, 0, order.order_id],
  ]);
});

test("a promoter who is not a retailer earns nothing, nor does their parent", async () => {
  const shop = await openShop(
    demoWith({
      users: [
        { id: 1002, is_retailer: 0 },
        { id: 1003, is_retailer: 0 },
      ],
    }),
  );
  const answer = await shop.accept({ comm_order_id: 8 }, { userId: 1001 });
  assert.deepEqual([answer.data.share_user_id, answer.data.share_amount], [0, 0]);
  assert.deepEqual([answer.data.share_parent_user_id, answer.data.share_parent_amount], [0, 0]);
  assert.equal(answer.data.seller_amount, 36040);
  assert.equal((await shop.counts()).Commission, 1);
});

test("a banned promoter and parent earn nothing: their shares stay in the seller's base, to the cent", async () => {
  const shop = await openShop(
    demoWith({
      users: [
        { id: 1002, status: -1 },
        { id: 1003, status: -1 },
      ],
    }),
  );
  const answer = await shop.accept({ comm_order_id: 8 }, { userId: 1001 });
  assert.equal(answer.code, 0, answer.msg);
  const order = answer.data;
  assert.deepEqual(shares(order), [0, 0, 0, 0]); // with both active: 6757 and 2252
  // 80 % of the whole 45050 (not of 45050 − 6757 − 2252): the seller gains 80 % of the unpaid 9009,
  // 7208 cents, and the site keeps the other 20 %: 45050 − 36040 = 9010 instead of 7209.
  assert.deepEqual([order.amount, order.seller_id, order.seller_amount], [45050, 15, 36040]);
  const records = (await shop.ofEntity("Commission")).map((c) => [c.type, c.user_id, c.amount]);
  assert.deepEqual(records, [["seller", 15, 36040]]);

  // A pending promoter (status 0) earns nothing; their active parent still earns on their own status,
  // within the usual cap (amount − share_amount).
  const pending = await openShop(demoWith({ users: [{ id: 1002, status: 0 }] }));
  const partly = (await pending.accept({ comm_order_id: 8 }, { userId: 1001 })).data;
  assert.deepEqual(shares(partly), [0, 0, 1003, 2252]);
  assert.equal(partly.seller_amount, 34238); // (45050 − 2252) × 80 %
});

test("the parent earns on their own retailer status, even when the promoter does not", async () => {
  const shop = await openShop(demoWith({ users: [{ id: 1002, is_retailer: 0 }] }));
  const answer = await shop.accept({ comm_order_id: 8 }, { userId: 1001 });
  assert.deepEqual(
    [answer.data.share_amount, answer.data.share_parent_user_id, answer.data.share_parent_amount],
    [0, 1003, 2252],
  );
  assert.equal(answer.data.seller_amount, 34238); // (45050 - 2252) × 80%
});

test("become_retailer makes every promoter and parent earn", async () => {
  const shop = await openShop(
    demoWith({
      settings: { become_retailer: 1 },
      users: [
        { id: 1002, is_retailer: 0 },
        { id: 1003, is_retailer: 0 },
      ],
    }),
  );
  const answer = await shop.accept({ comm_order_id: 8 }, { userId: 1001 });
  assert.deepEqual(
    [answer.data.share_amount, answer.data.share_parent_amount, answer.data.seller_amount],
    [6757, 2252, 28832],
  );
});

test("allow_self: a retailer buying for themselves is their own promoter", async () => {
  const shop = await openShop(
    demoWith({
      settings: { allow_self: 1 },
      comm_orders: [
        { id: 70, user_id: 1002, archive_id: 188, title: "Carol's theme", status: 2, quote_price: "200" },
      ],
    }),
  );
  const answer = await shop.accept({ comm_order_id: 70 }, { userId: 1002 });
  assert.equal(answer.code, 0, answer.msg);
  // carol earns her group's 15% on her own order; her parent dave earns 5%.
  assert.deepEqual(shares(answer.data), [1002, 3000, 1003, 1000]);
  assert.equal(answer.data.seller_amount, 12800);
});

test("without allow_self the same retailer's referrer is the promoter", async () => {
  const shop = await openShop(
    demoWith({ comm_orders: [{ id: 70, user_id: 1002, archive_id: 188, status: 2, quote_price: "200" }] }),
  );
  const answer = await shop.accept({ comm_order_id: 70 }, { userId: 1002 });
  // dave (group 1: 10% / 5%) promotes; he has no parent.
  assert.deepEqual(shares(answer.data), [1003, 2000, 0, 0]);
  assert.equal(answer.data.seller_amount, 14400);
});

test("the site as seller (user_id 0) or seller_percent 0 earns no seller commission", async () => {
  const shop = await openShop(demoWith({ goods: [{ id: 188, user_id: 0 }] }));
  const answer = await shop.accept({ comm_order_id: 7 });
  assert.deepEqual([answer.data.seller_id, answer.data.seller_amount], [0, 0]);
  assert.equal((await shop.counts()).Commission, 0);
  const noPercent = await openShop(demoWith({ settings: { seller_percent: 0 } }));
  const other = await noPercent.accept({ comm_order_id: 7 });
  assert.deepEqual([other.data.seller_id, other.data.seller_amount], [15, 0]);
  assert.equal((await noPercent.counts()).Commission, 0);
});
