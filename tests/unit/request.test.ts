// The request rules (rule 3, docs/accept.md), on the parsed body (the middy chain is covered in contract.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAcceptRequest } from "../../lib/accept/request.ts";

const refuses = (body: unknown, message: string) =>
  assert.throws(() => parseAcceptRequest(body), { name: "Refusal", message });

test("defaults: quantity 0 or absent is 1, no SKU, remark left to the quotation", () => {
  assert.deepEqual(parseAcceptRequest({ goods_id: 188 }), {
    commOrderId: undefined,
    goodsId: 188,
    quantity: 1,
    skuId: 0,
    remark: undefined,
    couponCode: undefined,
    couponCodeId: undefined,
    couponId: undefined,
    address: undefined,
  });
  assert.equal(parseAcceptRequest({ goods_id: 188, quantity: 0 }).quantity, 1);
  assert.equal(parseAcceptRequest({ comm_order_id: 7, quantity: 9999 }).quantity, 9999);
});

test("details win over goods_id and quantity, and hold exactly one line", () => {
  const request = parseAcceptRequest({
    goods_id: 1,
    quantity: 5,
    details: [{ goods_id: 205, quantity: 2, goods_sku_id: 2052 }],
  });
  assert.equal(request.goodsId, 205);
  assert.equal(request.quantity, 2);
  assert.equal(request.skuId, 2052);
  refuses({ details: [] }, "details must hold exactly one line: a quotation covers one product");
  refuses(
    {
      details: [
        { goods_id: 1, quantity: 1 },
        { goods_id: 2, quantity: 1 },
      ],
    },
    "details must hold exactly one line: a quotation covers one product",
  );
  refuses({ details: [{ quantity: 1 }] }, "details must be a list of {goods_id, quantity} objects");
  refuses(
    { details: [{ goods_id: 205, quantity: "2" }] },
    "details[0].quantity must be an integer from 0 to 9999",
  );
  refuses({ details: "188" }, "details must be a list");
});

test("integers must be JSON integers in range", () => {
  refuses({ goods_id: 188, quantity: "1" }, "quantity must be an integer from 0 to 9999");
  refuses({ goods_id: 188, quantity: 1.5 }, "quantity must be an integer from 0 to 9999");
  refuses({ goods_id: 188, quantity: 10000 }, "quantity must be an integer from 0 to 9999");
  refuses({ goods_id: 188, quantity: -1 }, "quantity must be an integer from 0 to 9999");
  refuses({ goods_id: "188" }, "goods_id must be a positive integer");
  refuses({ goods_id: 0 }, "goods_id must be a positive integer");
  refuses({ comm_order_id: -7 }, "comm_order_id must be a positive integer");
  refuses({ goods_id: 188, goods_sku_id: -1 }, "goods_sku_id must be a non-negative integer");
  refuses({ goods_id: 188, coupon_id: 1.2 }, "coupon_id must be a non-negative integer");
});

test("one of comm_order_id, goods_id, details is required; the body is an object", () => {
  refuses({}, "comm_order_id, goods_id or details is required");
  refuses({ remark: "hello" }, "comm_order_id, goods_id or details is required");
  refuses([], "the request body must be a JSON object");
  refuses("188", "the request body must be a JSON object");
  refuses(null, "the request body must be a JSON object");
});

test("type is goods; vip cannot accept a quotation", () => {
  assert.equal(parseAcceptRequest({ goods_id: 1, type: "goods" }).goodsId, 1);
  refuses(
    { goods_id: 1, type: "vip" },
    "type vip cannot accept a quotation: a quotation becomes a goods order",
  );
  refuses({ goods_id: 1, type: "other" }, "type must be goods");
});

test("strings are trimmed and bounded; unknown fields are ignored", () => {
  const request = parseAcceptRequest({
    goods_id: 1,
    remark: "  rush  ",
    cart_ids: [1, 2],
    coupon_code: " A1 ",
  });
  assert.equal(request.remark, "rush");
  assert.equal(request.couponCode, "A1");
  refuses({ goods_id: 1, remark: "x".repeat(251) }, "remark must be at most 250 characters");
  refuses({ goods_id: 1, remark: 5 }, "remark must be a string");
  refuses({ goods_id: 1, coupon_code: "c".repeat(65) }, "coupon_code must be at most 64 characters");
  refuses({ goods_id: 1, address: { name: "n".repeat(65) } }, "address.name must be at most 64 characters");
  refuses({ goods_id: 1, address: { postcode: 310000 } }, "address.postcode must be a string");
  refuses({ goods_id: 1, address: "home" }, "address must be an object");
  refuses({ goods_id: 1, address: [] }, "address must be an object");
});

test("null and zero mean absent where AnqiCMS front ends send them so", () => {
  const request = parseAcceptRequest({
    goods_id: 1,
    coupon_id: 0,
    coupon_code_id: 0,
    coupon_code: "",
    address: null,
  });
  assert.equal(request.couponId, undefined);
  assert.equal(request.couponCodeId, undefined);
  assert.equal(request.couponCode, undefined);
  assert.equal(request.address, undefined);
});

test("lengths are code points, and text must be well-formed Unicode", () => {
  assert.equal(parseAcceptRequest({ goods_id: 1, remark: "😀".repeat(250) }).remark, "😀".repeat(250));
  refuses({ goods_id: 1, remark: "😀".repeat(251) }, "remark must be at most 250 characters");
  // A combining mark is a code point of its own: "é" written as e + U+0301 counts 2.
  assert.equal(parseAcceptRequest({ goods_id: 1, coupon_code: "e\u0301".repeat(32) }).couponCode?.length, 64);
  refuses(
    { goods_id: 1, coupon_code: `${"e\u0301".repeat(32)}x` },
    "coupon_code must be at most 64 characters",
  );
  assert.equal(
    parseAcceptRequest({ goods_id: 1, address: { name: "汉".repeat(64) } }).address?.name,
    "汉".repeat(64),
  );
  refuses(
    { goods_id: 1, address: { postcode: "\udc00" } },
    "address.postcode must be well-formed Unicode text (no lone surrogates)",
  );
  refuses(
    { goods_id: 1, remark: "ok \ud800 " },
    "remark must be well-formed Unicode text (no lone surrogates)",
  );
});
