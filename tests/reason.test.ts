// The reason key of a request's log line: stable per kind of refusal, never a customer's text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { notLoggedIn, PlatformFault, Refusal, unauthorised } from "../lib/errors.ts";
import { dataFaultIn, reasonOf } from "../lib/http/reason.ts";
import { DataFault } from "../lib/store/db.ts";

test("a refusal's key is its message in snake case, numbers folded so that one rule is one key", () => {
  assert.equal(reasonOf(notLoggedIn()), "not_logged_in");
  assert.equal(reasonOf(unauthorised()), "this_account_may_not_place_orders");
  assert.equal(
    reasonOf(new Refusal("no quotation awaits you for goods_id 188")),
    reasonOf(new Refusal("no quotation awaits you for goods_id 205")),
  );
  assert.equal(
    reasonOf(new Refusal("coupon needs an order of at least 5000 cents")),
    "coupon_needs_an_order_of_at_least_n_cents",
  );
  assert.equal(
    reasonOf(new Refusal("details[0].goods_id must be a positive integer")),
    "details_n_goods_id_must_be_a_positive_integer",
  );
  assert.equal(reasonOf(undefined), undefined);
});

test("a platform fault is platform_fault; a data fault is data_fault, also as the cause of another", () => {
  const fault = new DataFault("Address", "USER#1/ADDR#2", "phone", "string");
  assert.equal(reasonOf(new PlatformFault("gave up before the Lambda deadline")), "platform_fault");
  assert.equal(reasonOf(new Error("anything else")), "platform_fault");
  assert.equal(reasonOf(fault), "data_fault");
  const wrapped = new PlatformFault("the acceptance could not be written", { cause: fault });
  assert.equal(reasonOf(wrapped), "data_fault");
  assert.equal(dataFaultIn(wrapped), fault);
  assert.equal(dataFaultIn(new PlatformFault("x", { cause: new Error("y") })), undefined);
});
