import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCents, parsePriceToCents, percentOf } from "../../lib/domain/money.ts";
import { orderNumber } from "../../lib/domain/order-number.ts";
import { orderAmounts } from "../../lib/domain/pricing.ts";

test("quote prices parse to exact cents", () => {
  assert.equal(parsePriceToCents("99"), 9900);
  assert.equal(parsePriceToCents("99.5"), 9950);
  assert.equal(parsePriceToCents("99.00"), 9900);
  assert.equal(parsePriceToCents("0.01"), 1);
  assert.equal(parsePriceToCents(" 450.50 "), 45050);
  // 0.29 * 100 is 28.999999999999996 in binary floating point; the parser never goes there.
  assert.equal(parsePriceToCents("0.29"), 29);
  assert.equal(parsePriceToCents("1.005"), undefined);
  assert.equal(parsePriceToCents("1e3"), undefined);
  assert.equal(parsePriceToCents("-5"), undefined);
  assert.equal(parsePriceToCents(""), undefined);
  assert.equal(parsePriceToCents("12,50"), undefined);
  assert.equal(parsePriceToCents(".5"), undefined);
});

test("cents read as currency units with two decimals, exactly", () => {
  assert.equal(formatCents(50000), "500.00");
  assert.equal(formatCents(45051), "450.51");
  assert.equal(formatCents(5), "0.05");
  assert.equal(formatCents(0), "0.00");
  assert.equal(formatCents(Number.MAX_SAFE_INTEGER), "90071992547409.91");
});

test("percentages floor exactly, even past 2^53 / 100", () => {
  assert.equal(percentOf(9900, 80), 7920);
  assert.equal(percentOf(44050, 15), 6607);
  assert.equal(percentOf(1, 99), 0);
  assert.equal(percentOf(9_000_000_000_000_001, 50), 4_500_000_000_000_000);
});

test("order amounts: quote × quantity, and a too large order is refused", () => {
  assert.deepEqual(orderAmounts(9900, 3), { origin_amount: 29700, discount_amount: 0, amount: 29700 });
  assert.throws(() => orderAmounts(99_999_999_999_999, 9999), {
    name: "Refusal",
    message: "the order amount is too large",
  });
});

test("order numbers follow the interface document's example and the site time zone", () => {
  assert.equal(orderNumber(1669212548, 46, "Asia/Shanghai"), "202211232209080046");
  assert.equal(orderNumber(1669212548, 46, "UTC"), "202211231409080046");
  assert.equal(orderNumber(1669212548, 123_456, "Asia/Shanghai"), "202211232209083456");
  assert.equal(orderNumber(1669212548, 10_000, "Asia/Shanghai"), "202211232209080000");
  // Midnight is 00, never 24.
  assert.equal(orderNumber(1704038400, 1, "Asia/Shanghai"), "202401010000000001");
});
