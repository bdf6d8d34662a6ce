// Eleven ways hostile (or merely unusual) input broke the endpoint, each pinned by a case through the
// whole middy chain on DynamoDB Local (commission rules as plain values). Every case failed before its fix.
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeEarnings } from "../lib/domain/commissions.ts";
import type { User } from "../lib/domain/entities.ts";
import { keys } from "../lib/store/keys.ts";
import { assertAccepted } from "./support/answers.ts";
import { one, openCouponShop, useCount } from "./support/coupons.ts";
import { user as anyone, group, settings } from "./support/earners.ts";
import { aliceHome } from "./support/fixtures.ts";
import { assertInvariants } from "./support/invariants.ts";
import { update } from "./support/operator.ts";
import { ALICE, BOB, coupon, NOW, quotation, voucher } from "./support/rows.ts";
import { assertRefused, fixtureEvent, openShop } from "./support/shop.ts";

test("1. a token cookie that is not valid %-encoding is a malformed token: 1001, not 503", async () => {
  const shop = await openShop();
  for (const cookie of ["token=%", "token=%E0%A4%A", "a=1; token=%zz"]) {
    const before = await shop.snapshot();
    const event = fixtureEvent("accept-interface-example");
    delete event.headers.token;
    event.cookies = [cookie];
    const answer = await shop.invoke(event);
    assert.deepEqual([answer.status, answer.code, answer.msg], [200, 1001, "not logged in"], cookie);
    assert.deepEqual(await shop.snapshot(), before);
  }
});

test("2. lengths are code points: 250 emoji are a remark, and stored text at its limit in emoji is readable", async () => {
  const shop = await openShop();
  const emoji = (n: number) => "😀".repeat(n);
  await assertRefused(
    shop,
    { comm_order_id: 7, remark: emoji(251) },
    { msg: "remark must be at most 250 characters" },
  );
  // The quotation's title (the default remark) and the buyer's name, each at its limit in emoji.
  await update(shop, keys.commOrder(ALICE, 7), "SET title = :t", { ":t": emoji(250) });
  await update(shop, keys.user(ALICE), "SET user_name = :n", { ":n": emoji(250) });
  const order = assertAccepted(
    await shop.accept({ comm_order_id: 7, address: { ...aliceHome, name: emoji(64), company: emoji(250) } }),
  );
  assert.equal(order.remark, emoji(250));
  assert.equal(order.order_address?.name, emoji(64));
  const saved = await one(shop, "Address", { user_id: ALICE });
  assert.equal(saved.company, emoji(250));
  // A saved address at its limits in emoji is read back and used.
  await update(shop, keys.address(BOB, 1), "SET address_info = :a", { ":a": emoji(255) });
  const bobs = assertAccepted(await shop.accept({ comm_order_id: 8, address: { id: 1 } }, { userId: BOB }));
  assert.equal(bobs.order_address?.address_info, emoji(255));
  await assertInvariants(shop);
});

test("3. strings that are not well-formed Unicode are a -1 naming the field, and nothing is written", async () => {
  const shop = await openShop();
  const cases: [unknown, string][] = [
    [
      { comm_order_id: 7, remark: "rush \ud800" },
      "remark must be well-formed Unicode text (no lone surrogates)",
    ],
    [
      { comm_order_id: 7, coupon_code: "\udc00A" },
      "coupon_code must be well-formed Unicode text (no lone surrogates)",
    ],
    [
      { comm_order_id: 7, address: { ...aliceHome, city: "Hangzhou\udbff" } },
      "address.city must be well-formed Unicode text (no lone surrogates)",
    ],
  ];
  for (const [body, msg] of cases) await assertRefused(shop, body, { msg });
  // Escaped in the JSON text, as a client would send it.
  await assertRefused(shop, '{"comm_order_id":7,"remark":"\\ud83d"}', {
    msg: "remark must be well-formed Unicode text (no lone surrogates)",
  });
});

test("4. stored items without defaulted attributes: conditions and updates use the defaults", async () => {
  const shop = await openCouponShop({
    coupons: [
      coupon({ id: 2, percent: 90, type: "discount", total: 5, used: 1, public: 1 }),
      coupon({ id: 3, amount: 500, public: 1 }),
      coupon({ id: 4, amount: 700 }),
    ],
    coupon_codes: [voucher({ id: 1, coupon_id: 4, code: "NOSTATUS" })],
    comm_orders: [
      { id: 20, user_id: BOB, archive_id: 205, title: "a", status: 2, quote_price: "100" },
      { id: 21, user_id: BOB, archive_id: 205, title: "b", status: 2, quote_price: "100" },
    ],
  });
  // A limited coupon without `used` (0) or `status` (1), an unlimited one without `total` or `used`,
  // a voucher without `status` (0, unused).
  await update(shop, keys.coupon(2), "REMOVE used, #s");
  await update(shop, keys.coupon(3), "REMOVE used, #t");
  await update(shop, keys.couponCode(BOB, 1), "REMOVE #s");

  const limited = assertAccepted(await shop.accept({ comm_order_id: 8, coupon_id: 2 }, { userId: BOB }));
  assert.equal(limited.discount_amount, 4505);
  assert.equal(await useCount(shop, 2), 1, "a missing used counts from 0");

  const unlimited = assertAccepted(await shop.accept({ comm_order_id: 20, coupon_id: 3 }, { userId: BOB }));
  assert.equal(unlimited.discount_amount, 500);
  const voucherOrder = assertAccepted(
    await shop.accept({ comm_order_id: 21, coupon_code: "NOSTATUS" }, { userId: BOB }),
  );
  assert.equal(voucherOrder.discount_amount, 700);
  assert.equal((await one(shop, "CouponCode", { id: 1 })).status, 1);
  await assertInvariants(shop);
});

/** Retailers, so that every referrer in these cases may earn (rule 7, docs/accept.md). */
const user = (id: number, changes: Partial<User> = {}): User => anyone(id, { is_retailer: 1, ...changes });

test("5. rewards past 100% are capped: promoter first, parent from what is left, seller never negative", () => {
  const earnings = computeEarnings({
    amount: 9900,
    settings: settings(),
    sellerId: 15,
    buyer: user(1, { parent_id: 2 }),
    promoter: user(2, { parent_id: 3 }),
    promoterGroup: group(60, 50),
    promoterParent: user(3),
  });
  assert.deepEqual(earnings, {
    share_user_id: 2,
    share_amount: 5940,
    share_parent_user_id: 3,
    share_parent_amount: 3960,
    seller_id: 15,
    seller_amount: 0,
  });
});

test("6. a promoter loop never pays the buyer without allow_self, and nobody earns twice", () => {
  const none = { share_user_id: 0, share_amount: 0, share_parent_user_id: 0, share_parent_amount: 0 };
  const selfParent = user(1, { parent_id: 1 });
  const selfAllowed = settings({ allow_self: 1, become_retailer: 1 });
  const promoterEarns = { ...none, share_user_id: 2, share_amount: 1000, seller_id: 15, seller_amount: 7200 };
  const cases = [
    {
      why: "the buyer is their own parent: as promoter and as parent they earn nothing",
      chain: { buyer: selfParent, promoter: selfParent, promoterParent: selfParent },
      earns: { ...none, seller_id: 15, seller_amount: 8000 },
    },
    {
      why: "the promoter's parent is the buyer: the promoter earns, the buyer does not",
      chain: {
        buyer: user(1, { parent_id: 2 }),
        promoter: user(2, { parent_id: 1 }),
        promoterParent: user(1),
      },
      earns: promoterEarns,
    },
    {
      why: "allow_self: the buyer earns as their own promoter, once, even as their own parent",
      settings: selfAllowed,
      chain: { buyer: selfParent, promoter: selfParent, promoterParent: selfParent },
      earns: { ...promoterEarns, share_user_id: 1 },
    },
    {
      why: "a promoter who is their own parent earns once",
      chain: {
        buyer: user(1, { parent_id: 2 }),
        promoter: user(2, { parent_id: 2 }),
        promoterParent: user(2, { parent_id: 2 }),
      },
      earns: promoterEarns,
    },
  ];
  for (const { why, chain, earns, ...rest } of cases) {
    const earnings = computeEarnings({
      amount: 10000,
      settings: rest.settings ?? settings(),
      sellerId: 15,
      promoterGroup: group(10, 5),
      ...chain,
    });
    assert.deepEqual(earnings, earns, why);
  }
});

/** A JSON body of exactly `bytes` UTF-8 bytes accepting quotation 7. */
function bodyOfBytes(bytes: number): string {
  const head = '{"comm_order_id":7,"pad":"';
  const tail = '"}';
  return head + "x".repeat(bytes - head.length - tail.length) + tail;
}

test("7. the 64 KiB limit is on decoded bytes, exactly: a base64 body of 65,536 bytes is accepted", async () => {
  const shop = await openShop();
  const base64 = (text: string) => {
    const event = fixtureEvent("accept-interface-example");
    event.headers["content-type"] = "text/plain";
    event.body = Buffer.from(text).toString("base64");
    event.isBase64Encoded = true;
    return shop.invoke(event);
  };
  const tooBig = "the request body must be at most 64 KiB";
  const refused = await base64(bodyOfBytes(65_537));
  assert.deepEqual([refused.status, refused.code, refused.msg], [200, -1, tooBig]);
  await assertRefused(shop, bodyOfBytes(65_537), { msg: tooBig });
  assertAccepted(await base64(bodyOfBytes(65_536)));
  const again = await shop.accept(bodyOfBytes(65_536));
  assertAccepted(again);
  await assertInvariants(shop);
});

test("8. the same request is judged as sent, normalised: empty fields and a retitled quotation replay", async () => {
  const shop = await openShop();
  const withEmpties = {
    comm_order_id: 7,
    remark: "",
    coupon_code: "",
    coupon_id: 0,
    address: { ...aliceHome, id: 0, last_name: "", email: "", town: "", company: "" },
  };
  const order = assertAccepted(await shop.accept(withEmpties));
  const before = await shop.snapshot();
  const { last_name: _l, email: _e, town: _t, company: _c, ...bare } = aliceHome as Record<string, unknown>;
  assert.deepEqual(assertAccepted(await shop.accept({ comm_order_id: 7, address: bare })), order);
  assert.deepEqual(
    assertAccepted(await shop.accept({ comm_order_id: 7, address: { ...bare, town: null } })),
    order,
  );
  // The merchant edits the title the remark defaulted to: a byte-identical retry still replays.
  await update(shop, keys.commOrder(ALICE, 7), "SET title = :t", { ":t": "Custom site theme, v2" });
  const snapshotAfterEdit = await shop.snapshot();
  assert.deepEqual(assertAccepted(await shop.accept(withEmpties)), order);
  assert.deepEqual(await shop.snapshot(), snapshotAfterEdit);
  assert.equal(before.length, snapshotAfterEdit.length);
});

test("9. a user holding a used and an unused voucher with one code redeems the unused one by code", async () => {
  const shop = await openCouponShop({
    coupons: [coupon({ id: 1, amount: 1000 })],
    coupon_codes: [
      voucher({
        id: 1,
        coupon_id: 1,
        code: "TWICE",
        status: 1,
        used_order_id: "earlier",
        used_time: NOW - 10,
      }),
      voucher({ id: 2, coupon_id: 1, code: "TWICE" }),
    ],
  });
  const order = assertAccepted(
    await shop.accept({ comm_order_id: 8, coupon_code: "TWICE" }, { userId: BOB }),
  );
  assert.deepEqual([order.coupon_code_id, order.discount_amount, order.amount], [2, 1000, 44050]);
  assert.equal((await one(shop, "CouponCode", { id: 2 })).used_order_id, order.order_id);
});

test("10. coupon_id redeems only public coupons: a voucher-only coupon is not found by id", async () => {
  const shop = await openCouponShop();
  // Coupon 1 is WELCOME10's: handed out as vouchers, not public.
  const before = await shop.snapshot();
  const answer = await shop.accept({ comm_order_id: 8, coupon_id: 1 }, { userId: BOB });
  assert.deepEqual([answer.status, answer.code, answer.msg], [200, -1, "coupon_id not found"]);
  assert.deepEqual(await shop.snapshot(), before);
  // Through the voucher bob owns, the same coupon still redeems.
  assertAccepted(
    await shop.accept({ comm_order_id: 8, coupon_code: "WELCOME10", coupon_id: 1 }, { userId: BOB }),
  );
});

test("11. a body nested too deeply says so", async () => {
  const shop = await openShop();
  const msg = "the request body is nested too deeply: at most 32 levels of [ and {";
  const depth = 30_000;
  await assertRefused(shop, `{"comm_order_id":7,"x":${"[".repeat(depth)}${"]".repeat(depth)}}`, { msg });
  await assertRefused(shop, `{"comm_order_id":7,"x":${"[".repeat(40)}${"]".repeat(40)}}`, { msg });
  // Brackets inside strings are text, not nesting.
  assertAccepted(await shop.accept({ comm_order_id: 7, remark: "[".repeat(200) }));
});

test("an unlimited campaign coupon is not written per accept: its ticket counts the use, its CouponUse records it", async () => {
  const shop = await openCouponShop({
    coupons: [coupon({ id: 3, amount: 500, total: 0, used: 7 })],
    comm_orders: [quotation({ id: 10, user_id: BOB, quote_price: "120.00" })],
  });
  const before = await one(shop, "Coupon", { id: 3 });
  const order = assertAccepted(await shop.accept({ comm_order_id: 8, coupon_id: 3 }, { userId: BOB }));
  assert.equal(order.discount_amount, 500);
  assert.deepEqual(await one(shop, "Coupon", { id: 3 }), before, "the shared coupon item is untouched");
  const use = await one(shop, "CouponUse", { coupon_id: 3 });
  assert.deepEqual([use.user_id, use.order_id], [BOB, order.order_id]);
  // Counted while unlimited, so that a total set later counts it too.
  assert.equal((await one(shop, "CouponTickets", { coupon_id: 3 })).issued, 1);
  assert.equal((await one(shop, "CouponUnit", { coupon_id: 3 })).order_id, order.order_id);
  // Once per user still holds, by the CouponUse alone.
  const again = await shop.accept({ comm_order_id: 10, coupon_id: 3 }, { userId: BOB });
  assert.deepEqual([again.code, again.msg], [-1, "coupon has already been used by this account"]);
  await assertInvariants(shop);
});
