// Generated bodies (fast-check) through the whole middy chain on DynamoDB Local: type confusions and
// boundaries of every field, text at and past every limit in any script, lone surrogates, prototype keys,
// nesting, sizes around 64 KiB raw and base64. Every answer is the envelope with HTTP 200 and a contract
// code; a refusal writes nothing; a success leaves a table that satisfies every invariant.
// FUZZ_BODIES sets the count (default 2,000; `npm run test:deep` 5,000); FUZZ_SEED (and FUZZ_PATH) replay a reported failure.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { MAX_BODY_BYTES, MAX_BODY_DEPTH, nestingDepth } from "../lib/http/body.ts";
import { aliceHome } from "./support/fixtures.ts";
import { assertSoundAnswer, callRecorder, outcomeTally, rejectionWatch, runs } from "./support/generated.ts";
import { ADDRESS_LIMITS, assertInvariants } from "./support/invariants.ts";
import { coupon, quotation } from "./support/rows.ts";
import { assertProperty } from "./support/seeds.ts";
import { demoFixture, fixtureEvent, openShop } from "./support/shop.ts";

const BODIES = runs("FUZZ_BODIES", 2_000);
/** Alice's quotations open for the generated bodies to accept: successes all through the run. */
const OPEN_QUOTATIONS = 100;
const TOO_BIG = `the request body must be at most ${MAX_BODY_BYTES / 1024} KiB`;
const TOO_DEEP = `the request body is nested too deeply: at most ${MAX_BODY_DEPTH} levels of [ and {`;

// Integers around every boundary the rules have, and numbers that are not integers at all.
const numbers = fc.oneof(
  fc.constantFrom(0, 1, -1, 7, 8, 9, 100, 188, 205, 2051, 2052, 9998, 9999, 10_000, 1.5, 0.1, 1e3, 1e21, -0),
  fc.constantFrom(2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), Number.MAX_VALUE),
  fc.integer(),
  fc.integer({ min: -2, max: 10_001 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

// One character of each kind the limits must count once (code points), or refuse (lone surrogates).
const UNITS = ["x", "汉", "😀", "e\u0301", "\u0000", "\u202e", "\t", "\ud800", "\udfff"];

/** Text at and just past `max` characters in one script, or free text of any code points. */
const textAround = (max: number) =>
  fc.oneof(
    fc.constantFrom("", " ", "  padded  ", "goods", "vip", "WELCOME10", "TWICE", "\ud83d", "a\udc00b"),
    fc
      .tuple(fc.constantFrom(...UNITS), fc.integer({ min: -1, max: 2 }))
      .map(([unit, delta]) => unit.repeat(Math.max(0, max + delta))),
    fc.string({ unit: "binary", maxLength: 24 }),
    fc.string({ unit: "grapheme", maxLength: 12 }),
  );

/** Anything JSON can carry, for type confusions. */
const anything = fc.oneof(
  numbers,
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.nat(300), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.nat(300), { maxKeys: 3 }),
);

/** `arbitrary` about once in `freq` cases, else null (nothing to apply). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, { freq }: { freq: number }) =>
  fc.oneof({ weight: freq - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const confused = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: anything });

const ids = (...likely: number[]) => confused(fc.oneof(fc.constantFrom(...likely), numbers));

const REAL_ADDRESS: Record<string, string> = aliceHome;

const address = confused(
  fc.record(
    {
      id: ids(0, 1, 2),
      ...Object.fromEntries(
        Object.entries(ADDRESS_LIMITS).map(([field, max]) => [
          field,
          confused(fc.oneof(fc.constant(REAL_ADDRESS[field] ?? ""), textAround(max))),
        ]),
      ),
    },
    { requiredKeys: [] },
  ),
);

const detailLine = fc.record(
  { goods_id: ids(188, 205), quantity: ids(0, 1, 9999), goods_sku_id: ids(0, 2051) },
  { requiredKeys: [] },
);

const body = fc.record(
  {
    comm_order_id: ids(7, 8, 9, 100, 101, 102, 103),
    goods_id: ids(188, 205, 301),
    quantity: ids(0, 1, 2, 9999),
    goods_sku_id: ids(0, 2051, 2052),
    details: confused(fc.array(confused(detailLine), { maxLength: 2 })),
    remark: confused(textAround(250)),
    type: confused(fc.constantFrom("goods", "vip", "Goods", "")),
    coupon_code: confused(fc.oneof(fc.constantFrom("WELCOME10", ""), textAround(64))),
    coupon_code_id: ids(0, 1),
    coupon_id: ids(0, 1, 2, 30),
    address,
    cart_ids: anything,
  },
  { requiredKeys: [] },
);

/** Text within `max` characters in one script: valid wherever it goes. */
const validText = (max: number) =>
  fc.oneof(
    fc.constantFrom("", " ", "rush, please"),
    fc
      .tuple(fc.constantFrom("x", "汉", "😀", "e\u0301"), fc.integer({ min: 1, max }))
      .map(([unit, n]) => unit.repeat(Math.max(1, Math.floor(n / [...unit].length)))),
  );

/** A body that passes validation (so that it reaches the database), with at most one field confused. */
const plausibleBody = fc
  .tuple(
    fc.record(
      {
        comm_order_id: fc.oneof(
          fc.constantFrom(7, 8, 9),
          fc.integer({ min: 100, max: 100 + OPEN_QUOTATIONS - 1 }),
        ),
        quantity: fc.integer({ min: 0, max: 9999 }),
        goods_sku_id: fc.constantFrom(0, 0, 0, 0, 2051),
        remark: validText(250),
        type: fc.constant("goods"),
        coupon_id: fc.constantFrom(0, 1, 2, 30, 31),
        coupon_code: fc.constantFrom("", "", "", "", "WELCOME10", "NOPE"),
        address: fc.oneof(
          fc.constant(null),
          fc.constant({ id: 0, ...REAL_ADDRESS }),
          validText(64).map((name) => ({ ...REAL_ADDRESS, name: name.trim() || "A" })),
          fc.constant({ id: 1 }),
        ),
      },
      { requiredKeys: ["comm_order_id"] },
    ),
    rarely(
      fc.tuple(fc.constantFrom("comm_order_id", "quantity", "remark", "coupon_id", "address"), anything),
      {
        freq: 3,
      },
    ),
  )
  .map(([valid, confusion]) => (confusion ? { ...valid, [confusion[0]]: confusion[1] } : valid));

/**
 * A plausible body with one text field at or just past its limit (or with a lone surrogate): nothing else
 * is wrong, so the text rules alone decide, and an accepted one is checked by the invariants.
 */
const TEXT_FIELDS: [string, number][] = [
  ["remark", 250],
  ["coupon_code", 64],
  ...Object.entries(ADDRESS_LIMITS).map(([field, max]): [string, number] => [`address.${field}`, max]),
];
const plausibleBodyWithText = fc
  .tuple(
    plausibleBody,
    fc.constantFrom(...TEXT_FIELDS).chain(([field, max]) => fc.tuple(fc.constant(field), textAround(max))),
  )
  .map(([valid, [field, text]]): Record<string, unknown> => {
    if (!field.startsWith("address.")) return { ...valid, [field]: text };
    const address = typeof valid.address === "object" && valid.address ? valid.address : REAL_ADDRESS;
    return { ...valid, address: { ...address, [field.slice("address.".length)]: text } };
  });

/** How the body travels: extra keys spliced into the text, nesting, padding to around 64 KiB, encoding. */
const envelope = fc.record({
  body: fc.oneof(body, plausibleBody, plausibleBodyWithText),
  forbidden: rarely(fc.constantFrom('"__proto__":{"admin":1}', '"constructor":{"prototype":{"x":1}}'), {
    freq: 8,
  }),
  harmless: rarely(fc.constantFrom('"constructor":1', '"prototype":{}', '"toString":"x"'), { freq: 8 }),
  depth: rarely(fc.integer({ min: 1, max: 40 }), { freq: 6 }),
  // Decoded size relative to 64 KiB: a few bytes either side of the limit.
  sizeDelta: rarely(fc.integer({ min: -3, max: 3 }), { freq: 10 }),
  mutation: rarely(fc.constantFrom("truncate", "trailing comma", "empty", "array", "string", "null"), {
    freq: 10,
  }),
  base64: fc.boolean(),
  contentType: fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""),
});

type Shape = typeof envelope extends fc.Arbitrary<infer T> ? T : never;

/** The body's text as sent (before any base64), and what the answer must then be. */
function render(shape: Shape): string {
  let text = JSON.stringify(shape.body);
  const splice = (member: string) => {
    text = text === "{}" ? `{${member}}` : `{${member},${text.slice(1)}`;
  };
  if (shape.forbidden) splice(shape.forbidden);
  if (shape.harmless) splice(shape.harmless);
  if (shape.depth) splice(`"deep":${"[".repeat(shape.depth)}${"]".repeat(shape.depth)}`);
  if (shape.sizeDelta !== null) {
    const target = MAX_BODY_BYTES + shape.sizeDelta;
    const filler = target - Buffer.byteLength(text) - '"pad":"",'.length;
    if (filler > 0) splice(`"pad":"${"p".repeat(filler)}"`);
  }
  switch (shape.mutation) {
    case "truncate":
      return text.slice(0, Math.max(0, text.length - 2));
    case "trailing comma":
      return `${text.slice(0, -1)},}`;
    case "empty":
      return "";
    case "array":
      return `[${text}]`;
    case "string":
      return JSON.stringify(text);
    case "null":
      return "null";
    default:
      return text;
  }
}

test(`${BODIES} generated bodies: always the envelope, never a 5xx, refusals write nothing`, async () => {
  const recorder = callRecorder();
  const fixture = demoFixture();
  // Quotations for alice to accept (so that successes happen throughout), and coupons in several states.
  fixture.comm_orders = [
    ...(fixture.comm_orders as object[]),
    ...Array.from({ length: OPEN_QUOTATIONS }, (_, i) =>
      quotation({ id: 100 + i, user_id: 1000, archive_id: 188, quote_price: "12.34" }),
    ),
  ];
  fixture.coupons = [
    ...(fixture.coupons as object[]),
    coupon({ id: 30, amount: 100_000, total: 2 }),
    coupon({ id: 31, type: "discount", percent: 1 }),
  ];
  const shop = await openShop(fixture, { configure: recorder.configure });
  const rejections = rejectionWatch();
  const tally = outcomeTally("accepted or replayed");
  try {
    await assertProperty(
      "generated-bodies",
      fc.asyncProperty(envelope, async (shape) => {
        const text = render(shape);
        const event = fixtureEvent("accept-interface-example");
        event.headers = { ...event.headers, "content-type": shape.contentType, "accept-language": "en-US" };
        event.body = shape.base64 ? Buffer.from(text).toString("base64") : text;
        event.isBase64Encoded = shape.base64;
        const { result: answer, calls } = await recorder.record(() => shop.invoke(event));
        const what = `${text.length > 300 ? `${text.slice(0, 300)}…` : text} → ${answer.code} ${answer.msg}`;
        assertSoundAnswer(answer, calls, what);
        assert.equal(answer.code === 1001 || answer.code === 1002, false, `${what}: the token is valid`);

        const bytes = Buffer.byteLength(text);
        if (bytes > MAX_BODY_BYTES) assert.equal(answer.msg, TOO_BIG, what);
        else assert.notEqual(answer.msg, TOO_BIG, what);
        if (bytes <= MAX_BODY_BYTES) {
          const deep = nestingDepth(text, MAX_BODY_DEPTH) > MAX_BODY_DEPTH;
          assert.equal(answer.msg === TOO_DEEP, deep, `${what}: depth`);
          if (!deep && shape.forbidden && !shape.mutation)
            assert.match(answer.msg, /must not use the key/, what);
        }

        if (answer.code === 0 && calls.some((call) => call.wrote)) await assertInvariants(shop);
        tally.add(answer);
      }),
      { numRuns: BODIES },
    );
  } finally {
    rejections.stop();
  }
  assert.deepEqual(rejections.seen, [], "no unhandled rejection");
  await assertInvariants(shop);
  // The generators reach the interesting answers, not only the first refusal.
  console.log(tally.summary(`generated bodies: ${BODIES}`));
  const shapes = [TOO_BIG, TOO_DEEP, "the request body must be a JSON object", "quotation not found"];
  for (const expected of ["accepted or replayed", ...shapes]) {
    assert.ok(tally.count(expected) > 0, `no generated body answered "${expected}"`);
  }
  assert.ok(tally.distinct() >= 30, `only ${tally.distinct()} distinct answers`);
});
