// Rule 12 (docs/accept.md) on DynamoDB Local: the local table's stream after new orders, identical replays, refusals,
// concurrent identical accepts and transactions retried after a conflict or a lost response holds
// exactly one Order INSERT per order; the pipe's filter selects exactly those records, and its
// transformation of each is a valid OrderAccepted detail without personal data.
import assert from "node:assert/strict";
import { test } from "node:test";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { openCouponShop } from "./support/coupons.ts";
import { type Attempt, connectionReset, faultInjector, transactionConflict } from "./support/faults.ts";
import { aliceHome } from "./support/fixtures.ts";
import { type Detail, detailOf, envelope, schemaErrors } from "./support/order-event.ts";
import { matchesPattern, orderAccepted } from "./support/pipes.ts";
import { ALICE, BOB, coupon, NOW, quotation } from "./support/rows.ts";
import type { Answer, Item } from "./support/shop.ts";
import { readStream } from "./support/stream.ts";

const pattern = JSON.parse(orderAccepted.filterPattern) as Record<string, unknown>;

/** What the event must say of an order: every field of the response's data but the detail lines, the
 * address snapshot and the remark (customer text), integers as DynamoDB streams write them. */
function expectedDetail(data: Record<string, unknown>): Detail {
  const { details: _details, order_address: _snapshot, remark: _remark, ...order } = data;
  return Object.fromEntries(
    Object.entries(order).map(([name, value]) => [name, typeof value === "number" ? String(value) : value]),
  );
}

const PERSONAL_FIELDS = [
  "name",
  "last_name",
  "phone",
  "email",
  "user_name",
  "address_info",
  "postcode",
  "company",
];

test("one OrderAccepted per order, whatever replays, refusals, races and retries happened", async () => {
  const faults = faultInjector();
  const shop = await openCouponShop(
    {
      coupons: [
        coupon({ id: 1, title: "10 off orders over 50", amount: 1000, min_amount: 5000 }),
        coupon({ id: 2, type: "discount", percent: 90, goods_ids: [205], total: 100, public: 1 }),
      ],
      comm_orders: [
        quotation({ id: 10, user_id: BOB, quote_price: "99.99" }),
        quotation({ id: 11, user_id: ALICE, quote_price: "12.00" }),
      ],
    },
    { configure: faults.configure },
  );
  const answers: Answer[] = [];
  const ok = (answer: Answer) => {
    assert.equal(answer.code, 0, answer.msg);
    answers.push(answer);
    return answer;
  };

  // A new order with a voucher and bob's address book entry (a snapshot full of personal data), and a
  // remark full of what JSON must escape (which the event must not carry); then its byte-identical replay.
  const withVoucher = {
    comm_order_id: 8,
    coupon_code: "WELCOME10",
    address: { id: 1 },
    remark: 'Send "vector" files\\ 谢谢\n\u2028 🎉',
  };
  const first = ok(await shop.accept(withVoucher, { userId: BOB }));
  assert.equal(ok(await shop.accept(withVoucher, { userId: BOB })).data.order_id, first.data.order_id);

  // Refusals: a different request for the accepted quotation, and a bad quantity.
  const different = await shop.accept({ comm_order_id: 8 }, { userId: BOB });
  assert.deepEqual(
    [different.code, different.msg],
    [-1, "quotation has already been accepted with a different request"],
  );
  const invalid = await shop.accept({ comm_order_id: 7, quantity: 1.5 }, { userId: ALICE });
  assert.deepEqual([invalid.code, invalid.msg], [-1, "quantity must be an integer from 0 to 9999"]);

  // Eight identical accepts at once: one order, everyone told of it.
  const racing = await Promise.all(
    Array.from({ length: 8 }, () => shop.accept({ comm_order_id: 7 }, { userId: ALICE })),
  );
  for (const answer of racing) ok(answer);
  assert.equal(new Set(racing.map((answer) => answer.data.order_id)).size, 1);

  // A campaign coupon, its first transaction cancelled by a conflict and retried by the handler.
  let conflicts = 0;
  faults.set(async (attempt: Attempt, send) => {
    if (attempt.command === "TransactWriteItems" && conflicts++ === 0) throw transactionConflict(attempt);
    return send();
  });
  ok(await shop.accept({ comm_order_id: 10, coupon_id: 2 }, { userId: BOB }));
  assert.equal(conflicts, 2, "cancelled once, then committed");

  // A new address, the transaction committed but its response lost: the SDK resends it (same token).
  let lost = 0;
  faults.set(async (attempt: Attempt, send) => {
    const result = await send();
    if (attempt.command === "TransactWriteItems" && lost++ === 0) throw connectionReset();
    return result;
  });
  ok(await shop.accept({ comm_order_id: 11, address: aliceHome }, { userId: ALICE }));
  assert.deepEqual(
    faults
      .of("TransactWriteItems")
      .slice(-2)
      .map((attempt) => `${attempt.attempt}:${attempt.outcome}`),
    ["1:ECONNRESET", "2:ok"],
  );
  faults.clear();

  // Later, payment updates an order: a MODIFY of an Order item, which must announce nothing.
  await shop.doc.send(
    new UpdateCommand({
      TableName: shop.table,
      Key: { pk: `ORDER#${first.data.order_id}`, sk: "ORDER" },
      UpdateExpression: "SET #status = :paid, paid_time = :now",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":paid": 1, ":now": NOW + 60 },
    }),
  );

  const orders = await shop.ofEntity("Order");
  const numbers = [...new Set(answers.map((answer) => String(answer.data.order_id)))].sort();
  assert.equal(numbers.length, 4);
  assert.deepEqual(orders.map((order) => order.order_id).sort(), numbers);

  const records = await readStream(shop);
  const kinds = new Set(
    records.map((record) => `${record.eventName} ${record.dynamodb.NewImage?.entity?.S}`),
  );
  for (const kind of [
    "INSERT OrderDetail",
    "INSERT OrderAddress",
    "INSERT Commission",
    "MODIFY CommOrder",
    "MODIFY CouponCode",
    "INSERT CouponUnit",
    "INSERT CouponUse",
    "INSERT Address",
  ]) {
    assert.ok(kinds.has(kind), `the stream holds ${kind} records for the filter to leave out`);
  }
  const orderInserts = records.filter(
    (record) => record.eventName === "INSERT" && record.dynamodb.NewImage?.entity?.S === "Order",
  );
  assert.deepEqual(
    orderInserts.map((record) => record.dynamodb.NewImage?.order_id?.S).sort(),
    numbers,
    "one INSERT per order",
  );
  assert.deepEqual(
    records
      .filter((record) => record.dynamodb.NewImage?.entity?.S === "Order")
      .map((record) => record.eventName)
      .sort(),
    ["INSERT", "INSERT", "INSERT", "INSERT", "MODIFY"],
    "and one MODIFY, the payment",
  );

  const selected = records.filter((record) => matchesPattern(pattern, record));
  assert.deepEqual(
    selected.map((record) => record.eventID),
    orderInserts.map((record) => record.eventID),
    "the filter selects exactly the Order INSERTs",
  );

  const personal = personalValues(await shop.items());
  assert.ok(
    personal.includes("13900000001") && personal.includes(aliceHome.address_info),
    "the table holds personal data to leak",
  );
  for (const record of selected) {
    const detail = detailOf(record);
    const number = String(detail.order_id);
    const answer = answers.find((candidate) => candidate.data.order_id === number) as Answer;
    assert.deepEqual(detail, expectedDetail(answer.data), `order ${number}: the response's data`);
    assert.deepEqual(schemaErrors(envelope(detail)), [], `order ${number}: valid against the schema`);
    const text = JSON.stringify(detail);
    for (const value of personal) assert.ok(!text.includes(value), `order ${number} carries ${value}`);
    // Every value is digits, "goods" or "": nothing Pipes would have to escape.
    for (const [field, value] of Object.entries(detail)) {
      assert.match(String(value), /^(-?[0-9]+|goods|)$/, `order ${number}: ${field} needs no escaping`);
    }
    for (const field of PERSONAL_FIELDS) assert.ok(!(field in detail), `order ${number} has ${field}`);
  }
  const byVoucher = detailOf(
    selected.find((record) => record.dynamodb.NewImage?.order_id?.S === first.data.order_id),
  );
  assert.deepEqual(
    [byVoucher.amount, byVoucher.discount_amount, byVoucher.coupon_code_id, byVoucher.remark],
    ["44050", "1000", "1", undefined],
  );
  // The remark is on the order, where consumers read it by order_id.
  const stored = orders.find((order) => order.order_id === first.data.order_id);
  assert.equal(stored?.remark, withVoucher.remark);
  assert.notEqual(byVoucher.address_id, "0", "the snapshot is referenced by id only");
  assert.equal(Number(first.data.created_time), NOW);
});

/** Every personal value the table holds (users, address book, snapshots), as strings worth finding. */
function personalValues(items: Item[]): string[] {
  const values = items
    .filter((item) => ["User", "Address", "OrderAddress"].includes(item.entity))
    .flatMap((item) => PERSONAL_FIELDS.map((field) => item[field]))
    .filter((value): value is string => typeof value === "string" && value.length >= 3);
  return [...new Set(values)];
}
