// The reason key of a request's log line: stable per kind of refusal, never a customer's text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DataFault, notLoggedIn, PlatformFault, Refusal, unauthorised } from "../../lib/errors.ts";
import { dataFaultIn, reasonOf } from "../../lib/http/reason.ts";

test("a refusal's reason is its catalogue key: one per rule, whatever the parameters", () => {
  assert.equal(reasonOf(notLoggedIn()), "auth.not_logged_in");
  assert.equal(reasonOf(unauthorised()), "auth.not_allowed");
  assert.equal(
    reasonOf(new Refusal("quotation.none_for_goods", { goods_id: 188 })),
    reasonOf(new Refusal("quotation.none_for_goods", { goods_id: 205 })),
  );
  assert.equal(reasonOf(new Refusal("coupon.min_amount", { min_amount: 5000 })), "coupon.min_amount");
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
