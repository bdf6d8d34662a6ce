// The answer's language, as pure matching: Accept-Language (q-values), else the site's Settings.language,
// else zh-CN. The whole handler's choice against DynamoDB Local is tests/language.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chooseLanguage, languageOfTag, readAcceptLanguage } from "../../lib/i18n/language.ts";

const decide = (header: string | undefined, site?: "zh-CN" | "zh-TW" | "en-US") =>
  chooseLanguage(readAcceptLanguage(header), site);

test("tags map onto zh-CN, zh-TW and en-US by script, then region, then primary language", () => {
  const expected = {
    zh: "zh-CN",
    "zh-CN": "zh-CN",
    "zh-Hans": "zh-CN",
    "zh-SG": "zh-CN",
    "zh-Hans-HK": "zh-CN",
    "zh-MY": "zh-CN",
    "zh-TW": "zh-TW",
    "zh-Hant": "zh-TW",
    "zh-HK": "zh-TW",
    "zh-MO": "zh-TW",
    "zh-Hant-CN": "zh-TW",
    "ZH-tw": "zh-TW",
    en: "en-US",
    "en-US": "en-US",
    "en-GB": "en-US",
    "EN-au": "en-US",
    fr: undefined,
    "fr-FR": undefined,
    ja: undefined,
    "*": undefined,
  } as const;
  for (const [tag, language] of Object.entries(expected)) assert.equal(languageOfTag(tag), language, tag);
});

test("q-values order the preference; ties keep header order; q=0 is not acceptable", () => {
  assert.equal(decide("en-US;q=0.5, zh-TW;q=0.8, zh-CN;q=0.7"), "zh-TW");
  assert.equal(decide("fr-FR, en;q=0.9, zh-HK;q=0.9"), "en-US", "a tie: the first listed wins");
  assert.equal(decide("fr-FR, zh-HK;q=0.9, en;q=0.9"), "zh-TW", "a tie: the first listed wins");
  assert.equal(decide("zh-TW;q=0, en"), "en-US");
  assert.equal(decide("en-GB;q=0, en-US;q=0.2"), "en-US", "another en tag keeps English acceptable");
  assert.equal(decide("zh-CN;q=1.000, en;q=0.999"), "zh-CN");
  assert.equal(decide(" zh-Hant ; q = 0.5 ,en;q=0.4"), "zh-TW", "spaces are tolerated");
  assert.equal(decide("en;q=2, zh-TW;q=abc, zh-CN;q=0.1"), "zh-CN", "malformed q-values are ignored");
});

test("without a supported preference: the site's language, then zh-CN, skipping a refused one", () => {
  assert.equal(decide(undefined), "zh-CN");
  assert.equal(decide(""), "zh-CN");
  assert.equal(decide("fr-FR, de;q=0.8", "en-US"), "en-US");
  assert.equal(decide("*", "zh-TW"), "zh-TW");
  assert.equal(decide("zh-TW;q=0", "zh-TW"), "zh-CN", "the site's language refused: the default");
  assert.equal(decide("zh;q=0", "zh-CN"), "zh-TW", "Simplified refused: the next language");
});
