// Retries and races that decide which quotation or voucher an accept takes (issue: races and operator
// changes), on the in-memory store. tests/retry-races.test.ts runs the same on DynamoDB Local.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newTrace } from "../../lib/accept/trace.ts";
import { RETRY_WINDOW_SECONDS } from "../../lib/domain/quotation.ts";
import { Refusal } from "../../lib/errors.ts";
import { ALICE, memoryShop, NOW, shopWorld, terms } from "../support/memory-accept.ts";

const byGoods = (remark?: string) => terms({ commOrderId: undefined, goodsId: 188, remark });
/** The merchant quotes alice another quotation for product 188, awaiting acceptance. */
const requote = (id: number, price: string) => ({
  id,
  user_id: ALICE,
  archive_id: 188,
  title: "Another theme",
  status: 2 as const,
  quote_price: price,
});

test("a retry by goods_id after a lost answer replays its order, though the merchant quoted again since", async () => {
  const { store, accept } = memoryShop();
  store.steps.push({ commitsThenFails: new Error("socket hang up") });
  const first = await accept(byGoods());
  store.addQuotation(requote(17, "150.00"));
  const trace = newTrace();
  const retry = await accept(byGoods(), { trace });
  assert.deepEqual([retry.order_id, retry.amount, trace.replayed], [first.order_id, 9900, true]);
  assert.equal(store.orders.size, 1);
  assert.equal(store.quotation(ALICE, 17)?.status, 2, "the new quotation still awaits the customer");
});

test("a retry by goods_id replays its order, though another request accepted a later quotation since", async () => {
  const { store, accept } = memoryShop();
  const first = await accept(byGoods("first"));
  store.addQuotation(requote(17, "150.00"));
  const second = await accept(byGoods("second"));
  assert.deepEqual([second.comm_order_id, second.amount], [17, 15000]);
  const retry = await accept(byGoods("first"));
  assert.deepEqual([retry.order_id, retry.comm_order_id], [first.order_id, 7]);
  assert.equal(store.orders.size, 2);
});

test("past the retry window, an identical request by goods_id accepts the quotation awaiting it", async () => {
  const { store, accept } = memoryShop();
  const first = await accept(byGoods());
  store.addQuotation(requote(17, "150.00"));
  const later = await accept(byGoods(), { now: () => NOW + RETRY_WINDOW_SECONDS + 1 });
  assert.notEqual(later.order_id, first.order_id);
  assert.deepEqual([later.comm_order_id, later.amount], [17, 15000]);
  const atTheEdge = memoryShop();
  const made = await atTheEdge.accept(byGoods());
  atTheEdge.store.addQuotation(requote(17, "150.00"));
  const retry = await atTheEdge.accept(byGoods(), { now: () => NOW + RETRY_WINDOW_SECONDS });
  assert.equal(retry.order_id, made.order_id, "the window's last second still replays");
});

test("two vouchers with one code, the chosen one spent meanwhile: the accept takes the other", async () => {
  const world = shopWorld();
  world.coupon_codes?.push({ id: 12, coupon_id: 2, code: "FIVE", user_id: ALICE });
  const { store, accept } = memoryShop(world);
  store.steps.push({
    meanwhile: (plan, shop) => shop.editVoucher(ALICE, plan.voucher?.id ?? 0, { status: 1 }),
  });
  const order = await accept(terms({ couponCode: "FIVE" }));
  assert.deepEqual(
    store.attempts.map((plan) => plan.voucher?.id),
    [11, 12],
  );
  assert.deepEqual([order.coupon_code_id, order.discount_amount, order.amount], [12, 500, 9400]);
  assert.equal(store.vouchers.get(`${ALICE}/12`)?.used_order_id, order.order_id);
});

test("a voucher voided meanwhile is refused as void, naming the field the request used", async () => {
  for (const [named, field] of [
    [{ couponCodeId: 11 }, "coupon_code_id"],
    [{ couponCode: "FIVE" }, "coupon_code"],
  ] as const) {
    const { store, accept } = memoryShop();
    store.steps.push({ meanwhile: (_, shop) => shop.editVoucher(ALICE, 11, { status: -1 }) });
    await assert.rejects(
      accept(terms(named)),
      (error) => error instanceof Refusal && error.key === "voucher.void" && error.params.field === field,
    );
    assert.equal(store.orders.size, 0);
  }
});
