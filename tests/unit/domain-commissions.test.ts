import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { commissionLines, computeEarnings, promoterIdOf } from "../../lib/domain/commissions.ts";
import type { User } from "../../lib/domain/entities.ts";
import { group, settings, user } from "../support/earners.ts";
import { assertProperty } from "../support/seeds.ts";

test("the promoter is the referrer, or the buyer when self-purchase earns", () => {
  const buyer = user(1, { parent_id: 2 });
  assert.equal(promoterIdOf(buyer, settings()), 2);
  assert.equal(promoterIdOf(buyer, settings({ allow_self: 1 })), 2, "allow_self needs a retailer");
  assert.equal(promoterIdOf(buyer, settings({ allow_self: 1, become_retailer: 1 })), 1);
  assert.equal(promoterIdOf({ ...buyer, is_retailer: 1 }, settings({ allow_self: 1 })), 1);
  assert.equal(promoterIdOf(user(3), settings()), 0);
});

test("promoter, parent and seller split an order in floor cents", () => {
  const earnings = computeEarnings({
    amount: 44050,
    settings: settings(),
    sellerId: 15,
    buyer: user(1, { parent_id: 1002 }),
    promoter: user(1002, { is_retailer: 1, parent_id: 1003 }),
    promoterGroup: group(15, 5),
    promoterParent: user(1003, { is_retailer: 1 }),
  });
  assert.deepEqual(earnings, {
    share_user_id: 1002,
    share_amount: 6607,
    share_parent_user_id: 1003,
    share_parent_amount: 2202,
    seller_id: 15,
    seller_amount: 28192,
  });
  assert.deepEqual(commissionLines(earnings), [
    { type: "seller", user_id: 15, amount: 28192 },
    { type: "share", user_id: 1002, amount: 6607 },
    { type: "share_parent", user_id: 1003, amount: 2202 },
  ]);
});

test("nobody earns who is not a retailer, unless everyone is (become_retailer)", () => {
  const input = {
    amount: 10000,
    sellerId: 15,
    buyer: user(1, { parent_id: 2 }),
    promoter: user(2, { parent_id: 3 }),
    promoterGroup: group(10, 5),
    promoterParent: user(3),
  };
  const none = computeEarnings({ ...input, settings: settings() });
  assert.equal(none.share_amount, 0);
  assert.equal(none.share_user_id, 0);
  assert.equal(none.share_parent_amount, 0);
  assert.equal(none.seller_amount, 8000);
  const all = computeEarnings({ ...input, settings: settings({ become_retailer: 1 }) });
  assert.equal(all.share_amount, 1000);
  assert.equal(all.share_parent_amount, 500);
  assert.equal(all.seller_amount, 6800);
});

test("a banned or pending promoter or parent earns nothing; the share stays in the seller's base", () => {
  const chain = (promoterStatus: number, parentStatus: number) =>
    computeEarnings({
      amount: 45050,
      settings: settings(),
      sellerId: 15,
      buyer: user(1001, { parent_id: 1002 }),
      promoter: user(1002, { is_retailer: 1, parent_id: 1003, status: promoterStatus }),
      promoterGroup: group(15, 5),
      promoterParent: user(1003, { is_retailer: 1, status: parentStatus }),
    });
  const paid = (earnings: ReturnType<typeof chain>) => [
    earnings.share_user_id,
    earnings.share_amount,
    earnings.share_parent_user_id,
    earnings.share_parent_amount,
    earnings.seller_amount,
  ];
  assert.deepEqual(paid(chain(1, 1)), [1002, 6757, 1003, 2252, 28832]); // (45050 - 6757 - 2252) × 80 %
  for (const inactive of [-1, 0]) {
    // Nobody in the chain: the seller takes 80 % of the whole amount, the site keeps the rest.
    assert.deepEqual(paid(chain(inactive, inactive)), [0, 0, 0, 0, 36040]);
    // The parent earns on their own status, capped as always at amount − share (here nothing is shared).
    assert.deepEqual(paid(chain(inactive, 1)), [0, 0, 1003, 2252, 34238]); // (45050 - 2252) × 80 %
    assert.deepEqual(paid(chain(1, inactive)), [1002, 6757, 0, 0, 30634]); // (45050 - 6757) × 80 %
  }
  const banned = chain(-1, -1);
  assert.deepEqual(commissionLines(banned), [{ type: "seller", user_id: 15, amount: 36040 }]);
  // The parent's cap (amount − share) holds with an active promoter sharing everything.
  const capped = computeEarnings({
    amount: 1000,
    settings: settings(),
    sellerId: 15,
    buyer: user(1, { parent_id: 2 }),
    promoter: user(2, { is_retailer: 1, parent_id: 3 }),
    promoterGroup: group(100, 50),
    promoterParent: user(3, { is_retailer: 1, status: 1 }),
  });
  assert.deepEqual([capped.share_amount, capped.share_parent_amount, capped.seller_amount], [1000, 0, 0]);
});

test("no reward percent, no parent, no seller: zero and nobody", () => {
  const earnings = computeEarnings({
    amount: 9900,
    settings: settings({ seller_percent: 0 }),
    sellerId: 15,
    buyer: user(1, { parent_id: 2 }),
    promoter: user(2, { is_retailer: 1 }),
    promoterGroup: group(0, 5),
  });
  assert.deepEqual(earnings, {
    share_user_id: 0,
    share_amount: 0,
    share_parent_user_id: 0,
    share_parent_amount: 0,
    seller_id: 15,
    seller_amount: 0,
  });
  assert.deepEqual(commissionLines(earnings), []);
  const siteSells = computeEarnings({ amount: 9900, settings: settings(), sellerId: 0, buyer: user(1) });
  assert.equal(siteSells.seller_amount, 0);
});

test("generated: shares are never negative, never exceed the amount, and nobody earns twice", async () => {
  const percent = fc.integer({ min: 0, max: 100 });
  // Four users (1 the buyer) whose parent_id points anywhere among them, themselves included.
  const people = fc.array(
    fc.record({ parent: fc.integer({ min: 0, max: 4 }), retailer: fc.constantFrom(0, 1) }),
    {
      minLength: 4,
      maxLength: 4,
    },
  );
  await assertProperty(
    "domain-commissions",
    fc.property(
      fc.oneof(fc.nat(20_000), fc.constant(Number.MAX_SAFE_INTEGER)),
      percent,
      percent,
      percent,
      fc.constantFrom(0, 1),
      fc.constantFrom(0, 1),
      people,
      (amount, share, parent, sellerPercent, allowSelf, becomeRetailer, graph) => {
        const users = graph.map((person, i) =>
          user(i + 1, { parent_id: person.parent, is_retailer: person.retailer as 0 | 1 }),
        );
        const find = (id: number) => users.find((candidate) => candidate.id === id);
        const buyer = users[0] as User;
        const s = settings({
          seller_percent: sellerPercent,
          allow_self: allowSelf as 0 | 1,
          become_retailer: becomeRetailer as 0 | 1,
        });
        const promoter = find(promoterIdOf(buyer, s));
        const earnings = computeEarnings({
          amount,
          settings: s,
          sellerId: 15,
          buyer,
          promoter,
          promoterGroup: group(share, parent),
          promoterParent: promoter ? find(promoter.parent_id) : undefined,
        });
        for (const value of [earnings.share_amount, earnings.share_parent_amount, earnings.seller_amount]) {
          assert.ok(Number.isSafeInteger(value) && value >= 0, JSON.stringify(earnings));
        }
        assert.ok(earnings.share_amount + earnings.share_parent_amount + earnings.seller_amount <= amount);
        if (earnings.share_parent_user_id !== 0) {
          assert.notEqual(earnings.share_parent_user_id, earnings.share_user_id, "nobody earns twice");
          assert.notEqual(earnings.share_parent_user_id, buyer.id, "the buyer is never paid as a parent");
        }
        if (earnings.share_user_id === buyer.id) {
          assert.ok(
            allowSelf === 1 && (becomeRetailer === 1 || buyer.is_retailer === 1),
            "self only by allow_self",
          );
        }
      },
    ),
    { numRuns: 2_000 },
  );
});
