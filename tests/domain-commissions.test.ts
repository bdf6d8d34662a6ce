import assert from "node:assert/strict";
import { test } from "node:test";
import { commissionLines, computeEarnings, promoterIdOf } from "../lib/domain/commissions.ts";
import { defaultSettings, type Settings, type User, type UserGroup } from "../lib/domain/entities.ts";

const settings = (changes: Partial<Settings> = {}): Settings => ({
  ...defaultSettings,
  seller_percent: 80,
  ...changes,
});
const user = (id: number, changes: Partial<User> = {}): User => ({
  id,
  user_name: `u${id}`,
  email: "",
  phone: "",
  group_id: 1,
  parent_id: 0,
  is_retailer: 0,
  status: 1,
  ...changes,
});
const group = (share_reward: number, parent_reward: number): UserGroup => ({
  id: 1,
  title: "g",
  status: 1,
  setting: { share_reward, parent_reward, discount: 0 },
});

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
