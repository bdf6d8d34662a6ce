// Findings 1, 2 and 5 of the security review (issue 26), end to end on DynamoDB Local: a cookie token
// counts only with proof the request comes from the shop's own pages; a token is renewed only for a
// user read and found active; every answer forbids caching and sniffing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { signToken, verifyToken } from "../lib/auth/token.ts";
import { formatMessage } from "../lib/i18n/messages.ts";
import { assertAccepted } from "./support/answers.ts";
import { faultInjector, internalError } from "./support/faults.ts";
import { type Answer, EVENT_SECRET, fixtureEvent, openShop, TEST_LANGUAGE } from "./support/shop.ts";

const NOW = 1_700_000_000;
const SHOP_ORIGIN = "https://shop.example";
const CROSS_SITE = formatMessage(TEST_LANGUAGE, "auth.cross_site");
const token = (userId = 1000, expiresIn = 86_400) => signToken(EVENT_SECRET, userId, NOW + expiresIn);

/** The review's forged request: a cross-site `<form enctype="text/plain">` posting alice's quotation. */
const FORGED_BODY =
  '{"comm_order_id":7,"remark":"csrf","address":{"name":"Mallory","phone":"13800000009","province":"P",' +
  '"city":"C","country":"CN","address_info":"1 Attacker Road","postcode":"000000"},"x":"="}';

/** A browser's POST carrying `cookie` (its `token=`), with the headers a page's request would have. */
function browserPost(headers: Record<string, string>, cookie: string, body = FORGED_BODY) {
  const event = fixtureEvent("accept-not-logged-in");
  event.headers = { "accept-language": TEST_LANGUAGE, ...headers };
  event.cookies = ["lang=en", cookie];
  event.body = body;
  return event;
}

test("a cross-site text/plain form POST with the cookie token is refused (1001), before any read or write", async () => {
  const faults = faultInjector();
  const shop = await openShop(undefined, {
    now: () => NOW,
    corsOrigins: [SHOP_ORIGIN],
    configure: faults.configure,
  });
  const before = await shop.snapshot();
  const calls = faults.attempts.length;
  const cookie = `token=${await token()}`;
  const forged: Record<string, string>[] = [
    { "content-type": "text/plain", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    { "content-type": "text/plain;charset=UTF-8", origin: "https://evil.example" }, // no Sec-Fetch-Site
    { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "cross-site" },
    { "content-type": "multipart/form-data; boundary=x", origin: "null", "sec-fetch-site": "none" },
    { origin: `${SHOP_ORIGIN}.evil.example`, "sec-fetch-site": "cross-site" }, // no content type at all
  ];
  for (const headers of forged) {
    const answer = await shop.invoke(browserPost(headers, cookie));
    assert.deepEqual(
      [answer.status, answer.code, answer.msg, answer.headers["update-token"]],
      [200, 1001, CROSS_SITE, undefined],
      JSON.stringify(headers),
    );
  }
  // The Cookie header (API Gateway payload 1.0 style) is read the same way.
  const viaHeader = browserPost({ "content-type": "text/plain", origin: "https://evil.example" }, "");
  viaHeader.cookies = undefined;
  viaHeader.headers.cookie = `lang=en; ${cookie}`;
  assert.equal((await shop.invoke(viaHeader)).code, 1001);
  assert.equal(faults.attempts.length, calls, "no DynamoDB call at all");
  assert.deepEqual(await shop.snapshot(), before, "nothing written: no order, no address saved");
});

test("the same cookie POST from the shop's own pages is accepted: Sec-Fetch-Site, an allowed Origin, or JSON", async () => {
  const cookie = `token=${await token()}`;
  const ownPages: Record<string, string>[] = [
    { "content-type": "text/plain", "sec-fetch-site": "same-origin" },
    { "content-type": "text/plain", "sec-fetch-site": "same-site", origin: "https://www.shop.example" },
    { "content-type": "text/plain", origin: SHOP_ORIGIN }, // a browser without Sec-Fetch-Site
    // JSON from any origin: a page elsewhere cannot send it without a preflight CORS refuses.
    {
      "content-type": "Application/JSON; charset=utf-8",
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    },
  ];
  for (const headers of ownPages) {
    const shop = await openShop(undefined, { now: () => NOW, corsOrigins: [SHOP_ORIGIN] });
    const order = assertAccepted(await shop.invoke(browserPost(headers, cookie)));
    assert.deepEqual(
      [order.user_id, order.comm_order_id, order.remark],
      [1000, 7, "csrf"],
      JSON.stringify(headers),
    );
  }
});

test("a header token is accepted from any client and origin, as AnqiCMS's apps send it", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const event = browserPost(
    { "content-type": "text/plain", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    "token=not-even-a-token", // the header wins over the cookie
  );
  event.headers.token = await token();
  assertAccepted(await shop.invoke(event));
});

test("update-token only for a user read and found active: none for deleted, pending, banned, or before the read", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const expiring = (userId: number) => token(userId, 1800);
  const renewed = (answer: Answer) => answer.headers["update-token"];
  const cases: [string, number, unknown, number][] = [
    ["deleted", 424242, { comm_order_id: 7 }, 1001],
    ["awaiting review", 1004, { comm_order_id: 7 }, 1002],
    ["banned", 1005, { comm_order_id: 7 }, 1002],
    ["deleted, with a malformed body", 424242, "{", -1],
    ["banned, with an invalid field", 1005, { comm_order_id: 7, quantity: "1" }, -1],
    ["active, with a malformed body (refused before any read)", 1000, "{", -1],
  ];
  for (const [who, userId, body, code] of cases) {
    const answer = await shop.accept(body, { token: await expiring(userId) });
    assert.deepEqual([answer.code, renewed(answer)], [code, undefined], who);
  }

  // Active: refusals found after the user was read still renew, and so does the order.
  const notFound = await shop.accept({ comm_order_id: 999 }, { token: await expiring(1000) });
  assert.equal(notFound.msg, "quotation not found");
  assert.ok(renewed(notFound), "a refusal after the user check renews");
  const accepted = await shop.accept({ comm_order_id: 7 }, { token: await expiring(1000) });
  assert.equal(accepted.code, 0);
  const fresh = renewed(accepted) as string;
  assert.deepEqual(await verifyToken(EVENT_SECRET, fresh, NOW), { userId: 1000, expiresAt: NOW + 86_400 });
});

test("cache-control: no-store and x-content-type-options: nosniff on every answer: 0, -1, 1001, 1002, 503", async () => {
  const faults = faultInjector();
  const shop = await openShop(undefined, { now: () => NOW, configure: faults.configure });
  const answers = [
    await shop.accept({ comm_order_id: 7 }),
    await shop.accept({ comm_order_id: 7, quantity: "1" }),
    await shop.accept({ comm_order_id: 7 }, { token: null }),
    await shop.invoke(browserPost({ "content-type": "text/plain" }, `token=${await token()}`)),
    await shop.accept({ comm_order_id: 7 }, { userId: 1005 }),
  ];
  faults.set(async () => {
    throw internalError();
  });
  answers.push(await shop.accept({ comm_order_id: 8 }, { userId: 1001 }));
  faults.clear();
  assert.deepEqual(
    answers.map((answer) => [answer.status, answer.code]),
    [
      [200, 0],
      [200, -1],
      [200, 1001],
      [200, 1001],
      [200, 1002],
      [503, -1],
    ],
  );
  for (const answer of answers) {
    assert.equal(answer.headers["cache-control"], "no-store", `${answer.status} ${answer.code}`);
    assert.equal(answer.headers["x-content-type-options"], "nosniff", `${answer.status} ${answer.code}`);
  }
});
