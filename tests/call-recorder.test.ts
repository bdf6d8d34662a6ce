// The generated suites' "a refusal wrote nothing" rests on the call recorder: it must pass over the id
// counters (which a refusal may move) by their key alone, and see every other write whatever it contains.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "../lib/store/keys.ts";
import { callRecorder } from "./support/generated.ts";
import { openShop } from "./support/shop.ts";

test("the call recorder exempts id counter updates by key, and counts a write that mentions COUNTER", async () => {
  const recorder = callRecorder();
  const shop = await openShop({}, { configure: recorder.configure });
  const counter = new UpdateCommand({
    TableName: shop.table,
    Key: keys.counter("order"),
    UpdateExpression: "ADD #value :one",
    ExpressionAttributeNames: { "#value": "value" },
    ExpressionAttributeValues: { ":one": 1 },
  });
  const order = {
    ...keys.order("202601010000000001"),
    entity: "Order",
    remark: "COUNTER",
    order_id: "COUNTER",
  };
  const { calls } = await recorder.record(async () => {
    await shop.doc.send(counter);
    await shop.doc.send(new PutCommand({ TableName: shop.table, Item: order }));
    await shop.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: shop.table, Item: { ...keys.counter("twin"), entity: "Order" } } },
        ],
      }),
    );
  });
  assert.deepEqual(calls, [
    { command: "UpdateItem", wrote: false },
    { command: "PutItem", wrote: true },
    // A transaction is never exempt, even one that touches the counter partition.
    { command: "TransactWriteItems", wrote: true },
  ]);
});
