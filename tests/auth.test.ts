// Rule 2 (docs/accept.md): AnqiCMS login tokens. Every refusal here writes nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { jwtVerify, SignJWT } from "jose";
import { signToken, verifyToken } from "../lib/auth/token.ts";
import { assertRefused, EVENT_SECRET, fixtureEvent, openShop } from "./support/shop.ts";

const NOW = 1_700_000_000;
const body = { goods_id: 188, quantity: 1 };
const key = new TextEncoder().encode(`${EVENT_SECRET}-user-token`);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

test("no, malformed, forged or expired tokens are not logged in (1001)", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const later = String(NOW + 3600);
  await assertRefused(shop, body, { code: 1001, msg: "not logged in" }, { token: null });
  await assertRefused(shop, body, { code: 1001, msg: "not logged in" }, { token: "not-a-jwt" });
  await assertRefused(
    shop,
    body,
    { code: 1001, msg: "not logged in" },
    { token: await signToken("another-secret", 1000, NOW + 3600) },
  );
  await assertRefused(
    shop,
    body,
    { code: 1001, msg: "not logged in" },
    { token: `${b64({ alg: "none", typ: "JWT" })}.${b64({ userId: "1000", t: later })}.` },
  );
  const hs512 = await new SignJWT({ userId: "1000", t: later })
    .setProtectedHeader({ alg: "HS512" })
    .sign(key);
  await assertRefused(shop, body, { code: 1001, msg: "not logged in" }, { token: hs512 });
  await assertRefused(
    shop,
    body,
    { code: 1001, msg: "not logged in" },
    { token: await signToken(EVENT_SECRET, 1000, NOW - 1) },
  );
  const numericClaims = await new SignJWT({ userId: 1000, t: NOW + 3600 })
    .setProtectedHeader({ alg: "HS256" })
    .sign(key);
  await assertRefused(shop, body, { code: 1001, msg: "not logged in" }, { token: numericClaims });
  await assertRefused(shop, body, { code: 1001, msg: "not logged in" }, { userId: 424242 });
});

test("users awaiting review or banned are not authorised (1002)", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  await assertRefused(shop, body, { code: 1002, msg: "this account may not place orders" }, { userId: 1004 });
  await assertRefused(shop, body, { code: 1002, msg: "this account may not place orders" }, { userId: 1005 });
});

test("the token is read from the header in any case, else from the cookie", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const token = await signToken(EVENT_SECRET, 1000, NOW + 86_400);
  const byHeader = await shop.accept(body, { token: null, headers: { Token: token } });
  assert.equal(byHeader.code, 0);
  const event = fixtureEvent("accept-not-logged-in");
  event.cookies = ["lang=en", `token=${token}`];
  const byCookie = await shop.invoke(event);
  assert.equal(byCookie.code, 0, "the cookie token names the same user, so this replays the order");
  assert.equal(byCookie.data.id, byHeader.data.id);
});

test("a token expiring within the hour is renewed for 24 hours in update-token", async () => {
  const shop = await openShop(undefined, { now: () => NOW });
  const answer = await shop.accept(
    { comm_order_id: 7 },
    { token: await signToken(EVENT_SECRET, 1000, NOW + 1800) },
  );
  assert.equal(answer.code, 0);
  const renewed = answer.headers["update-token"];
  assert.ok(renewed, "update-token header is set");
  assert.deepEqual(await verifyToken(EVENT_SECRET, renewed, NOW), { userId: 1000, expiresAt: NOW + 86_400 });

  const fresh = await shop.accept(
    { comm_order_id: 7 },
    { token: await signToken(EVENT_SECRET, 1000, NOW + 7200) },
  );
  assert.equal(fresh.code, 0, fresh.msg);
  assert.equal(fresh.headers["update-token"], undefined);
});

test("the committed not-logged-in event answers 1001", async () => {
  const shop = await openShop();
  const answer = await shop.invoke(fixtureEvent("accept-not-logged-in"));
  assert.deepEqual([answer.status, answer.code, answer.msg], [200, 1001, "not logged in"]);
});

test("tokens are standard HS256 JWTs: a JOSE library and this code accept each other's", async () => {
  const ours = await signToken(EVENT_SECRET, 1000, NOW + 3600);
  const { payload, protectedHeader } = await jwtVerify(ours, key, { algorithms: ["HS256"] });
  assert.deepEqual(protectedHeader, { alg: "HS256", typ: "JWT" });
  assert.deepEqual(payload, { userId: "1000", t: String(NOW + 3600) });

  const theirs = await new SignJWT({ userId: "1000", t: String(NOW + 3600) })
    .setProtectedHeader({ alg: "HS256" })
    .sign(key);
  assert.deepEqual(await verifyToken(EVENT_SECRET, theirs, NOW), { userId: 1000, expiresAt: NOW + 3600 });
});

test("refused as jose and RFC 7515 say: crit, exp/nbf, padded, truncated or extra parts", async () => {
  const claims = { userId: "1000", t: String(NOW + 3600) };
  const sign = (header: object, payload: object) =>
    new SignJWT(payload as Record<string, unknown>).setProtectedHeader(header as { alg: string }).sign(key);
  const refused = async (token: string) =>
    assert.equal(await verifyToken(EVENT_SECRET, token, NOW), undefined);

  await refused(await sign({ alg: "HS256", crit: ["b64"], b64: true }, claims));
  await refused(await sign({ alg: "HS256" }, { ...claims, exp: NOW }));
  await refused(await sign({ alg: "HS256" }, { ...claims, nbf: NOW + 60 }));
  assert.ok(await verifyToken(EVENT_SECRET, await sign({ alg: "HS256" }, { ...claims, exp: NOW + 60 }), NOW));

  const good = await signToken(EVENT_SECRET, 1000, NOW + 3600);
  const [header, payload, signature] = good.split(".") as [string, string, string];
  await refused(`${header}.${payload}.${signature}=`);
  await refused(`${header}.${payload}.${signature}.`);
  await refused(`${header}.${payload}`);
  await refused(`${header}.${payload}.${signature.slice(0, -1)}`);
  await refused(`${header}.${payload}.${Buffer.from(signature, "base64url").toString("base64")}`);
});
