// The answer's language comes from Accept-Language (q-values), else the site's Settings.language, else
// zh-CN, and is named in Content-Language (docs/messages.md): the whole handler against DynamoDB Local.
// The pure matching is tests/unit/language-choice.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { connectionRefused, faultInjector } from "./support/faults.ts";
import { type Answer, demoFixture, fixtureEvent, openShop } from "./support/shop.ts";

const ACCEPT_MISSING = { comm_order_id: 999 };
const NOT_FOUND = { "en-US": "quotation not found", "zh-CN": "报价单不存在", "zh-TW": "找不到報價單" };

const said = (answer: Answer) => [answer.status, answer.code, answer.msg, answer.headers["content-language"]];
/** What `said` reads of the refusal of ACCEPT_MISSING in `language`. */
const notFoundIn = (language: keyof typeof NOT_FOUND) => [200, -1, NOT_FOUND[language], language];

test("Accept-Language chooses the language of the same refusal, named in Content-Language", async () => {
  const shop = await openShop();
  const before = await shop.snapshot();
  for (const [header, language] of [
    ["en-US", "en-US"],
    ["zh-CN", "zh-CN"],
    ["zh-TW", "zh-TW"],
    ["zh-Hant-HK,zh;q=0.9", "zh-TW"],
    ["en-GB,en;q=0.9,zh-CN;q=0.8", "en-US"],
    ["fr-FR,fr;q=0.9,zh-TW;q=0.8,en-US;q=0.7", "zh-TW"],
  ] as const) {
    const answer = await shop.accept(ACCEPT_MISSING, { acceptLanguage: header });
    assert.deepEqual(said(answer), notFoundIn(language), header);
  }
  assert.deepEqual(await shop.snapshot(), before, "nothing was written");
});

test("1001 and validation messages follow the language too; field names and limits stay literal", async () => {
  const shop = await openShop();
  const notLoggedIn = { "en-US": "not logged in", "zh-CN": "该操作需要登录，请登录后重试" } as const;
  for (const [language, msg] of Object.entries(notLoggedIn)) {
    const answer = await shop.accept({ goods_id: 188 }, { token: null, acceptLanguage: language });
    assert.deepEqual(said(answer), [200, 1001, msg, language]);
  }
  const tw = await shop.accept({ goods_id: 188 }, { token: null, acceptLanguage: "zh-TW" });
  assert.deepEqual(said(tw), [200, 1001, "此操作需要登入，請登入後再試", "zh-TW"]);
  const quantity = await shop.accept({ goods_id: 188, quantity: "1" }, { acceptLanguage: "zh-TW" });
  assert.deepEqual(said(quantity), [200, -1, "quantity 須為 0 到 9999 之間的整數", "zh-TW"]);
  const remark = await shop.accept({ goods_id: 188, remark: "x".repeat(251) }, { acceptLanguage: "zh" });
  assert.deepEqual(said(remark), [200, -1, "remark 不能超过 250 个字符", "zh-CN"]);
  const big = await shop.accept("x".repeat(64 * 1024 + 1), { acceptLanguage: "zh-CN" });
  assert.deepEqual(said(big), [200, -1, "请求内容不能超过 64 KiB", "zh-CN"]);
  const address = await shop.accept(
    { comm_order_id: 7, address: { name: "王小明", phone: "0912345678" } },
    { acceptLanguage: "zh-TW" },
  );
  assert.deepEqual(said(address), [200, -1, "請填寫 address.province", "zh-TW"]);
});

test("without Accept-Language the site's Settings.language decides; an unsupported one falls back", async () => {
  const fixture = demoFixture();
  const shop = await openShop({
    ...fixture,
    settings: { ...(fixture.settings as object), language: "zh-TW" },
  });
  for (const acceptLanguage of [null, "", "fr-FR, de;q=0.8", "*", "en;q=0"]) {
    const answer = await shop.accept(ACCEPT_MISSING, { acceptLanguage });
    assert.deepEqual(said(answer), notFoundIn("zh-TW"), String(acceptLanguage));
  }
  const english = await openShop({
    ...fixture,
    settings: { ...(fixture.settings as object), language: "en-US" },
  });
  assert.deepEqual(
    said(await english.accept(ACCEPT_MISSING, { acceptLanguage: "ja-JP" })),
    notFoundIn("en-US"),
  );
  assert.deepEqual(
    said(await english.accept(ACCEPT_MISSING, { acceptLanguage: "zh-TW" })),
    notFoundIn("zh-TW"),
  );
});

test("by default (no header, no site language, or no Settings item at all) the answer is zh-CN", async () => {
  const withSettings = await openShop();
  assert.deepEqual(
    said(await withSettings.accept(ACCEPT_MISSING, { acceptLanguage: null })),
    notFoundIn("zh-CN"),
  );
  const { settings: _none, ...noSettings } = demoFixture();
  const bare = await openShop(noSettings);
  assert.deepEqual(said(await bare.accept(ACCEPT_MISSING, { acceptLanguage: "ko-KR" })), notFoundIn("zh-CN"));
});

test("a success carries Content-Language too (its msg is empty in every language)", async () => {
  const shop = await openShop();
  const answer = await shop.accept({ comm_order_id: 7 }, { acceptLanguage: "zh-TW" });
  assert.deepEqual(said(answer), [200, 0, "", "zh-TW"]);
  const again = await shop.accept({ comm_order_id: 7 }, { acceptLanguage: null });
  assert.deepEqual(said(again), [200, 0, "", "zh-CN"], "the identical retry replays, in the site's language");
});

test("the committed English and Traditional Chinese refusal events answer in their languages", async () => {
  const shop = await openShop();
  const english = await shop.invoke(fixtureEvent("accept-quantity-not-integer-en-us"));
  assert.deepEqual(said(english), [200, -1, "quantity must be an integer from 0 to 9999", "en-US"]);
  const traditional = await shop.invoke(fixtureEvent("accept-quantity-not-integer-zh-tw"));
  assert.deepEqual(said(traditional), [200, -1, "quantity 須為 0 到 9999 之間的整數", "zh-TW"]);
  const asCommitted = await shop.invoke(fixtureEvent("accept-quantity-not-integer", { asCommitted: true }));
  assert.deepEqual(said(asCommitted), [200, -1, "quantity 须为 0 到 9999 之间的整数", "zh-CN"]);
});

const readsSettings = (body: string) => body.includes('"SETTINGS"');

test("a 503 never makes another DynamoDB call for its language: Settings read within the TTL, else SITE_LANGUAGE", async () => {
  const fixture = demoFixture();
  const faults = faultInjector();
  let clock = 1_700_000_000;
  const shop = await openShop(
    { ...fixture, settings: { ...(fixture.settings as object), language: "zh-TW" } },
    { configure: faults.configure, settingsTtlSeconds: 60, now: () => clock },
  );
  faults.set(async () => {
    throw connectionRefused();
  });
  const cold = await shop.accept({ comm_order_id: 7 }, { acceptLanguage: null });
  assert.deepEqual(said(cold), [503, -1, "系统繁忙，请稍后再试", "zh-CN"], "never read: zh-CN");
  await faults.settled();
  const settingsCalls = () => faults.calls().filter((call) => readsSettings(call[0]?.body ?? "")).length;
  assert.equal(settingsCalls(), 1, "only the use case's own read of Settings");

  faults.clear();
  assert.equal((await shop.accept({ comm_order_id: 7 }, { acceptLanguage: null })).code, 0);
  faults.set(async () => {
    throw connectionRefused();
  });
  const warm = await shop.accept({ comm_order_id: 7 }, { acceptLanguage: null });
  assert.deepEqual(said(warm), [503, -1, "系統忙碌中，請稍後再試", "zh-TW"], "Settings read within the TTL");
  const english = await shop.accept({ comm_order_id: 7 }, { acceptLanguage: "en" });
  assert.deepEqual(said(english), [503, -1, "the service is busy, please try again shortly", "en-US"]);
  await faults.settled();
  assert.equal(settingsCalls(), 2, "the cache's one read, and the first request's failed one");
  // Past the TTL the read is stale: SITE_LANGUAGE (zh-CN, unset) speaks, and the request tries a read.
  clock += 61;
  const stale = await shop.accept({ comm_order_id: 7 }, { acceptLanguage: null });
  assert.deepEqual(said(stale), [503, -1, "系统繁忙，请稍后再试", "zh-CN"], "SITE_LANGUAGE");
  await faults.settled();
  assert.equal(settingsCalls(), 3, "one more read, by the use case");
});

test("a refusal whose Settings read fails is still the refusal, in the default language", async () => {
  const faults = faultInjector();
  const shop = await openShop(undefined, { configure: faults.configure });
  faults.set(async (attempt, send) => {
    if (readsSettings(attempt.body)) throw connectionRefused();
    return send();
  });
  assert.deepEqual(said(await shop.accept(ACCEPT_MISSING, { acceptLanguage: null })), notFoundIn("zh-CN"));
});

test("a stored site language in any spelling, or an unknown one, never stops an order", async () => {
  for (const [stored, language] of [
    ["zh-tw", "zh-TW"],
    ["zh-Hant", "zh-TW"],
    ["en", "en-US"],
    ["klingon", "zh-CN"],
  ] as const) {
    const shop = await openShop();
    // Written as an operator would, past the fixture loader's parsing.
    const [settings] = await shop.ofEntity("Settings");
    await shop.doc.send(new PutCommand({ TableName: shop.table, Item: { ...settings, language: stored } }));
    assert.deepEqual(said(await shop.accept(ACCEPT_MISSING, { acceptLanguage: null })), notFoundIn(language));
    const order = await shop.accept({ comm_order_id: 7 }, { acceptLanguage: null });
    assert.deepEqual([order.status, order.code, order.data.amount], [200, 0, 9900], stored);
  }
});

test("a caller without a valid login never makes the service read, whatever language it asks for", async () => {
  const fixture = demoFixture();
  const faults = faultInjector();
  const shop = await openShop(
    { ...fixture, settings: { ...(fixture.settings as object), language: "zh-TW" } },
    { configure: faults.configure, settingsTtlSeconds: 60 },
  );
  for (const token of [null, "not-a-jwt"]) {
    const answer = await shop.accept({ comm_order_id: 7 }, { token, acceptLanguage: null });
    assert.deepEqual(
      said(answer),
      [200, 1001, "该操作需要登录，请登录后重试", "zh-CN"],
      "no Settings read yet: SITE_LANGUAGE (unset, zh-CN)",
    );
  }
  assert.deepEqual(faults.attempts, [], "no DynamoDB call");
  // Once the container has read the site's Settings, refusals speak its language within the TTL, still
  // without a call (tests/review-defects.test.ts: after the TTL, SITE_LANGUAGE).
  assert.equal((await shop.accept({ comm_order_id: 7 }, { acceptLanguage: null })).code, 0);
  const before = faults.attempts.length;
  const later = await shop.accept({ comm_order_id: 7 }, { token: null, acceptLanguage: null });
  assert.deepEqual(said(later), [200, 1001, "此操作需要登入，請登入後再試", "zh-TW"]);
  assert.equal(faults.attempts.length, before, "no DynamoDB call");
});
