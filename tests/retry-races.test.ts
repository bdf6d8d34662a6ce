// Races and operator changes around an accept (rules 6 and 8, docs/accept.md), on DynamoDB Local: a retry
// by goods_id after a lost answer, two vouchers with one code, address ids under a fixture load, and the
// refusals of a voucher changed while the accept is in flight. Races are forced by held calls.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadFixture, parseFixture } from "../lib/store/fixture.ts";
import { keys } from "../lib/store/keys.ts";
import { assertAccepted } from "./support/answers.ts";
import { one, openCouponShop } from "./support/coupons.ts";
import { connectionRefused, connectionReset, faultInjector } from "./support/faults.ts";
import { aliceHome } from "./support/fixtures.ts";
import { assertInvariants } from "./support/invariants.ts";
import { update } from "./support/operator.ts";
import { ALICE, BOB, NOW, quotation, voucher } from "./support/rows.ts";
import { openShop, RETRY_LATER, type Shop } from "./support/shop.ts";

/** The interface document's request: by goods_id, no comm_order_id. */
const BY_GOODS = { goods_id: 188, quantity: 1, type: "goods", remark: "定制商品订单" };

/** The merchant quotes alice product 188 again, at 150.00, awaiting her acceptance (lookup keys and all). */
async function requote(shop: Shop, id: number) {
  const row = quotation({ id, user_id: ALICE, archive_id: 188, quote_price: "150.00" });
  await loadFixture({ doc: shop.doc, table: shop.table }, parseFixture({ comm_orders: [row] }));
}

test("a retry by goods_id after a lost answer gets its order, though the merchant quoted the product again", async () => {
  const faults = faultInjector();
  const shop = await openShop(undefined, { now: () => NOW, configure: faults.configure });
  let committed = false;
  faults.set(async (attempt, send) => {
    if (committed) throw connectionRefused(); // DynamoDB gone: the answer cannot be reconciled either
    const result = await send();
    committed = attempt.command === "TransactWriteItems";
    if (committed) throw connectionReset();
    return result;
  });
  const lost = await shop.accept(BY_GOODS);
  assert.deepEqual([lost.status, lost.msg], [503, RETRY_LATER]);
  const [made] = await shop.ofEntity("Order");
  faults.clear();

  await requote(shop, 17);
  const retry = await shop.accept(BY_GOODS);
  assert.deepEqual(
    [retry.code, retry.data.order_id, retry.data.comm_order_id, retry.data.amount],
    [0, made?.order_id, 7, 9900],
  );
  assert.equal((await shop.counts()).Order, 1, "one order, not a second one at 150.00");
  assert.equal((await one(shop, "CommOrder", { id: 17 })).status, 2, "the new quotation still awaits alice");
  await assertInvariants(shop);
});

test("a retry by goods_id gets its order, though another request accepted a later quotation since", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const first = assertAccepted(await shop.accept(BY_GOODS));
  await requote(shop, 17);
  const other = assertAccepted(await shop.accept({ ...BY_GOODS, remark: "another order" }));
  assert.deepEqual([other.comm_order_id, other.amount], [17, 15000]);

  const retry = await shop.accept(BY_GOODS);
  assert.deepEqual([retry.code, retry.data.order_id, retry.data.comm_order_id], [0, first.order_id, 7]);
  assert.equal((await shop.counts()).Order, 2);
  await assertInvariants(shop);
});

test("two vouchers with one code, two quotations accepted at once: each order takes one of them", async () => {
  // Both racers read the same unused voucher (1) and send their transactions together; the loser's is
  // cancelled on it, and it takes voucher 2, which has the same code, in the same request.
  let held = 0;
  let release: () => void = () => {};
  const together = new Promise<void>((resolve) => {
    release = resolve;
  });
  const faults = faultInjector();
  faults.set(async (attempt, send) => {
    if (attempt.command === "TransactWriteItems" && held < 2) {
      held += 1;
      if (held === 2) release();
      await together;
    }
    return send();
  });
  const shop = await openCouponShop(
    {
      coupon_codes: [
        voucher({ id: 1, coupon_id: 1, code: "WELCOME10" }),
        voucher({ id: 2, coupon_id: 1, code: "WELCOME10" }),
      ],
      comm_orders: [quotation({ id: 10, user_id: BOB, quote_price: "120.00" })],
    },
    { configure: faults.configure },
  );
  const answers = await Promise.all(
    [8, 10].map((id) => shop.accept({ comm_order_id: id, coupon_code: "WELCOME10" }, { userId: BOB })),
  );
  assert.equal(held, 2, "both racers reached the transaction");
  assert.deepEqual(
    answers.map((answer) => [answer.code, answer.data.discount_amount]),
    [
      [0, 1000],
      [0, 1000],
    ],
  );
  assert.deepEqual(answers.map((answer) => answer.data.coupon_code_id).sort(), [1, 2]);
  const spent = (await shop.ofEntity("CouponCode")).map((code) => [code.id, code.status]);
  assert.deepEqual(spent.sort(), [
    [1, 1],
    [2, 1],
  ]);
  assert.equal(faults.of("TransactWriteItems").length, 3, "the loser tried once more, with voucher 2");
  await assertInvariants(shop);
});

test("address ids are the order's: a fixture loaded while containers run never shares one", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const before = assertAccepted(await shop.accept({ comm_order_id: 7, address: aliceHome }));
  // An operator loads addresses 3–21 for another user while this container keeps running.
  const addresses = Array.from({ length: 19 }, (_, index) => ({ ...aliceHome, id: index + 3, user_id: BOB }));
  await loadFixture({ doc: shop.doc, table: shop.table }, parseFixture({ addresses }));
  await update(shop, keys.commOrder(ALICE, 7), "SET #s = :quoted, order_id = :none", {
    ":quoted": 2,
    ":none": "",
  });
  const after = assertAccepted(
    await shop.accept({ comm_order_id: 7, address: { ...aliceHome, town: "Nanshan" } }),
  );

  const ids = (await shop.ofEntity("Address")).map((address) => Number(address.id));
  assert.equal(ids.length, new Set(ids).size, `every address id names one address: ${ids.join(", ")}`);
  for (const order of [before, after]) {
    assert.equal(order.order_address?.id, order.id, "the snapshot takes the order's id");
    assert.ok(ids.includes(Number(order.id)), "the new address-book entry takes the order's id too");
  }
});

for (const [named, field] of [
  [{ coupon_code: "WELCOME10" }, "coupon_code"],
  [{ coupon_code_id: 1 }, "coupon_code_id"],
] as const) {
  test(`a voucher voided while the accept is in flight (by ${field}): "${field} is void"`, async () => {
    const faults = faultInjector();
    const shop = await openCouponShop({}, { configure: faults.configure });
    let voided = false;
    faults.set(async (attempt, send) => {
      if (attempt.command === "TransactWriteItems" && !voided) {
        voided = true; // an admin voids the voucher between the accept's reads and its write
        await update(shop, keys.couponCode(BOB, 1), "SET #s = :void", { ":void": -1 });
      }
      return send();
    });
    const before = await shop.snapshot();
    const answer = await shop.accept({ comm_order_id: 8, ...named }, { userId: BOB });
    assert.deepEqual([answer.status, answer.code, answer.msg], [200, -1, `${field} is void`]);
    const after = (await shop.snapshot()).filter((item) => item.entity !== "CouponCode");
    assert.deepEqual(
      after,
      before.filter((item) => item.entity !== "CouponCode"),
      "nothing but the void written",
    );
  });
}

test("a voucher used by another order, named by coupon_code_id: the refusal names coupon_code_id", async () => {
  const shop = await openCouponShop({
    coupon_codes: [voucher({ id: 1, coupon_id: 1, code: "WELCOME10", status: 1 })],
  });
  const answer = await shop.accept({ comm_order_id: 8, coupon_code_id: 1 }, { userId: BOB });
  assert.deepEqual([answer.code, answer.msg], [-1, "coupon_code_id has already been used"]);
});
