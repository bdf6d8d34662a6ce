// Generated text at its limits (fast-check), one field at a time: a body that is otherwise valid gets
// exactly ONE text field (remark, coupon_code or one address field) set to text of exactly its limit or
// limit + 1 code points, mixing ASCII, CJK, astral emoji and combining marks, or to text within the limit
// with a lone surrogate inserted. Since nothing else is wrong, the answer is exact: at the limit no refusal
// names the field (the text is stored as sent); past it "<field> must be at most <max> characters"; with a
// lone surrogate "<field> must be well-formed Unicode text (no lone surrogates)". Refusals write nothing.
// FUZZ_TEXTS sets the cases per field and outcome (default 8); FUZZ_SEED replays a reported failure.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { aliceHome } from "./support/fixtures.ts";
import { assertContractAnswer, assertWroteNothing, callRecorder, runs } from "./support/generated.ts";
import { ADDRESS_LIMITS, assertInvariants, REMARK_LIMIT } from "./support/invariants.ts";
import { quotation } from "./support/rows.ts";
import { fcParameters } from "./support/seeds.ts";
import { demoFixture, openShop } from "./support/shop.ts";

const PER_CASE = runs("FUZZ_TEXTS", 8);
const FIELDS: [field: string, max: number][] = [
  ["remark", REMARK_LIMIT],
  ["coupon_code", 64],
  ...Object.entries(ADDRESS_LIMITS).map(([field, max]): [string, number] => [`address.${field}`, max]),
];
const OUTCOMES = ["at the limit", "past the limit", "lone surrogate"] as const;
type Outcome = (typeof OUTCOMES)[number];

// One code point each: ASCII, CJK, an astral emoji (two UTF-16 units), a combining mark, a precomposed letter.
const CODE_POINTS = ["x", "汉", "😀", "\u0301", "é", "𠀀"];
const SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00"];

/** Exactly `n` code points, in one script or mixed; never starting or ending with a space (not trimmed). */
const textOf = (n: number) =>
  fc.oneof(
    fc.constantFrom(...CODE_POINTS).map((unit) => unit.repeat(n)),
    fc.array(fc.constantFrom(...CODE_POINTS), { minLength: n, maxLength: n }).map((units) => units.join("")),
  );

/** Text within `max` code points with one lone surrogate inserted at a code-point boundary. */
const withLoneSurrogate = (max: number) =>
  fc
    .integer({ min: 0, max: max - 1 })
    .chain((n) => fc.tuple(textOf(n), fc.constantFrom(...SURROGATES), fc.nat(n)))
    .map(([text, surrogate, at]) => {
      const units = [...text];
      units.splice(at, 0, surrogate);
      return units.join("");
    });

const textFor = (max: number, outcome: Outcome) =>
  outcome === "at the limit"
    ? textOf(max)
    : outcome === "past the limit"
      ? textOf(max + 1)
      : withLoneSurrogate(max);

/** Alice's valid body for quotation `id`, shipping to her full address, with `field` set to `text`. */
function bodyWith(id: number, field: string, text: string): Record<string, unknown> {
  const address: Record<string, unknown> = {
    ...aliceHome,
    last_name: "Li",
    email: "a@example.com",
    town: "Yuehai",
    company: "Acme",
  };
  const body: Record<string, unknown> = { comm_order_id: id, remark: "rush, please", address };
  if (field.startsWith("address.")) address[field.slice("address.".length)] = text;
  else body[field] = text;
  return body;
}

test(`text at, past and inside each limit, one field at a time (${PER_CASE} per field and outcome): the exact answer`, async () => {
  const recorder = callRecorder();
  const fixture = demoFixture();
  // One open quotation per accepted case (every at-the-limit one but coupon_code's): no more, since a
  // failure is reported as found (endOnFailure), without shrinking that would spend quotations.
  const open = (FIELDS.length - 1) * PER_CASE;
  fixture.comm_orders = [
    ...(fixture.comm_orders as object[]),
    ...Array.from({ length: open }, (_, i) =>
      quotation({ id: 1000 + i, user_id: 1000, archive_id: 188, quote_price: "12.34" }),
    ),
  ];
  const shop = await openShop(fixture, { configure: recorder.configure });
  let next = 1000;
  const seen = new Map<Outcome, number>();
  for (const [field, max] of FIELDS) {
    for (const outcome of OUTCOMES) {
      await fc.assert(
        fc.asyncProperty(textFor(max, outcome), async (text) => {
          const body = bodyWith(next, field, text);
          const { result: answer, calls } = await recorder.record(() => shop.accept(body));
          const what = `${field} ${outcome} (${[...text].length} code points) ${JSON.stringify(text)} → ${answer.code} ${answer.msg}`;
          assertContractAnswer(answer, what);
          if (outcome === "at the limit") {
            if (field === "coupon_code") {
              // Valid text, so the voucher is looked up: and no voucher has that code.
              assert.deepEqual([answer.code, answer.msg], [-1, "coupon_code not found"], what);
            } else {
              assert.deepEqual([answer.code, answer.msg], [0, ""], what);
              const stored =
                field === "remark" ? answer.data.remark : answer.data.order_address?.[field.slice(8)];
              assert.equal(stored, text, `${what}: stored as sent`);
            }
          } else {
            const expected =
              outcome === "past the limit"
                ? `${field} must be at most ${max} characters`
                : `${field} must be well-formed Unicode text (no lone surrogates)`;
            assert.deepEqual([answer.code, answer.msg], [-1, expected], what);
          }
          if (answer.code === 0) next++;
          else assertWroteNothing(calls, what);
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
        }),
        fcParameters(`generated-text-limits ${field} ${outcome}`, PER_CASE, { endOnFailure: true }),
      );
    }
  }
  assert.deepEqual(
    Object.fromEntries(seen),
    Object.fromEntries(OUTCOMES.map((outcome) => [outcome, FIELDS.length * PER_CASE])),
  );
  // What was accepted is stored well-formed and within its limits (invariants 11 and 12).
  await assertInvariants(shop);
});
