// The message catalogue (lib/i18n): every key in every language with the same placeholders, and no
// message the service can send outside it. Pure: no DynamoDB.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { AcceptBody, refusalFor } from "../../lib/accept/request.ts";
import { enUS } from "../../lib/i18n/en-US.ts";
import {
  catalogues,
  DEFAULT_LANGUAGE,
  formatMessage,
  LANGUAGES,
  type MessageKey,
  placeholdersOf,
} from "../../lib/i18n/messages.ts";

const keys = Object.keys(enUS) as MessageKey[];

test("the three languages of docs/accept.md rule 1 at least, zh-CN first and the default", () => {
  // A language added later is one more catalogue (docs/messages.md); these three must stay.
  for (const language of ["zh-CN", "zh-TW", "en-US"])
    assert.ok(LANGUAGES.includes(language as never), language);
  assert.equal(LANGUAGES[0], "zh-CN");
  assert.equal(DEFAULT_LANGUAGE, "zh-CN");
});

test("every key has a non-empty text in every language, with exactly en-US's placeholders", () => {
  assert.ok(keys.length >= 50, `the catalogue holds every message (${keys.length} keys)`);
  for (const language of LANGUAGES) {
    const catalogue: Record<string, string> = catalogues[language];
    assert.deepEqual(Object.keys(catalogue).sort(), [...keys].sort(), `${language} has exactly the keys`);
    for (const key of keys) {
      const text = catalogue[key] ?? "";
      assert.ok(text.trim().length > 0, `${language} ${key} is written`);
      assert.deepEqual(placeholdersOf(text), placeholdersOf(enUS[key]), `${language} ${key} placeholders`);
    }
  }
});

test("parameters are filled the same way in every language; field names stay literal", () => {
  const params = {
    field: "address.name",
    min: 0,
    max: 9999,
    goods_id: 188,
    min_amount: 50000,
    key: "__proto__",
  };
  for (const language of LANGUAGES) {
    for (const key of keys) {
      const text = formatMessage(language, key, params);
      assert.doesNotMatch(text, /\{[a-z_]+\}/, `${language} ${key} has no placeholder left: ${text}`);
      for (const name of placeholdersOf(enUS[key])) {
        assert.ok(text.includes(String(params[name as keyof typeof params])), `${language} ${key} ${name}`);
      }
    }
  }
  assert.equal(
    formatMessage("zh-CN", "field.int_range", { field: "quantity", min: 0, max: 9999 }),
    "quantity 须为 0 到 9999 之间的整数",
  );
  assert.equal(
    formatMessage("zh-TW", "field.too_long", { field: "remark", max: 250 }),
    "remark 不可超過 250 個字元",
  );
  assert.equal(formatMessage("zh-CN", "auth.not_logged_in"), "该操作需要登录，请登录后重试");
  assert.equal(formatMessage("en-US", "service.busy"), "the service is busy, please try again shortly");
});

// Simplified characters and their Traditional forms: each language keeps to its own script.
const SCRIPT_PAIRS =
  "该該 请請 优優 码碼 单單 过過 须須 为為 时時 与與 账帳 号號 录錄 报報 价價 确確 认認 订訂 额額 联聯 规規 启啟 领領 数數 组組 对對 变變 无無 务務 统統 试試 输輸 长長 内內 围圍 个個 应應 关關 态態".split(
    " ",
  );
test("zh-TW is Traditional Chinese in Taiwan's words; zh-CN is Simplified", () => {
  for (const key of keys) {
    const tw = catalogues["zh-TW"][key];
    const cn = catalogues["zh-CN"][key];
    for (const [simplified = "", traditional = ""] of SCRIPT_PAIRS.map((pair) => [...pair])) {
      assert.ok(!tw.includes(simplified), `zh-TW ${key} has Simplified ${simplified}: ${tw}`);
      assert.ok(!cn.includes(traditional), `zh-CN ${key} has Traditional ${traditional}: ${cn}`);
    }
    // Mainland terms, even when written in Traditional characters, are not how Taiwan says it.
    for (const word of ["登錄", "賬號", "對象", "字符", "數組", "默認", "信息", "質量"]) {
      assert.ok(!tw.includes(word), `zh-TW ${key} says ${word} (mainland usage): ${tw}`);
    }
  }
  assert.equal(catalogues["zh-TW"]["auth.not_logged_in"], "此操作需要登入，請登入後再試");
  assert.equal(catalogues["zh-TW"]["service.busy"], "系統忙碌中，請稍後再試");
});

/** Every .ts file under a folder of the project. */
function sources(folder: string): { path: string; text: string }[] {
  const root = new URL(`../../${folder}/`, import.meta.url);
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts"))
    .map((path) => ({ path: `${folder}/${path}`, text: readFileSync(new URL(path, root), "utf8") }));
}

const code = [...sources("lib"), ...sources("handlers")].filter(({ path }) => !path.startsWith("lib/i18n/"));

test("every refusal in the code names a catalogue key, never raw text", () => {
  let refusals = 0;
  for (const { path, text } of code) {
    for (const match of text.matchAll(/new Refusal\(\s*([^,)]*)/g)) {
      refusals += 1;
      const argument = match[1]?.trim() ?? "";
      if (path === "lib/accept/request.ts" && argument === "key") continue; // says(): a typed key
      const literal = /^"([^"]*)"$/.exec(argument)?.[1];
      assert.ok(literal !== undefined, `${path}: new Refusal(${argument}) must name a key as a literal`);
      assert.ok(literal in enUS, `${path}: "${literal}" is not a catalogue key`);
    }
  }
  assert.ok(refusals >= 40, `the scan sees the refusals (${refusals})`);
});

test("every catalogue key is used by the code (the catalogue holds no stale message)", () => {
  const all = code.map(({ text }) => text).join("\n");
  const unused = keys.filter((key) => !all.includes(`"${key}"`));
  assert.deepEqual(unused, []);
});

/** Every `message` in a valibot schema tree (lazy schemas are opened with a list and an object). */
function schemaMessages(node: unknown, seen = new Set<unknown>()): string[] {
  if (typeof node !== "object" || node === null || seen.has(node)) return [];
  seen.add(node);
  const messages: string[] = [];
  const record = node as Record<string, unknown>;
  if (typeof record.message === "string") messages.push(record.message);
  if (typeof record.getter === "function") {
    for (const input of [[], {}]) messages.push(...schemaMessages(record.getter(input), seen));
  }
  for (const value of Object.values(record)) messages.push(...schemaMessages(value, seen));
  return messages;
}

test("every validation message of the request schema is a catalogue refusal", () => {
  const messages = schemaMessages(AcceptBody);
  assert.ok(messages.length >= 30, `the walk sees the schema's messages (${messages.length})`);
  for (const message of messages) {
    const refusal = refusalFor(message);
    assert.ok(refusal, `a schema message written as text: ${message}`);
    assert.ok(refusal.key in enUS);
  }
});
