// The README tells people to edit fixtures/demo.json, so no test (nor the bench, which borrows test helpers)
// may read it: tests load their own copy, tests/fixtures/shop.json, and stay green whatever the demo holds.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../", import.meta.url);
/** The demo's path inside a string literal, as a read would name it (comments may mention it). */
const DEMO = /["'`][^"'`\n]*fixtures\/demo\.json["'`]/;

function sources(folder: string): string[] {
  return readdirSync(new URL(folder, root), { recursive: true, encoding: "utf8" })
    .filter((path) => /\.(ts|js)$/.test(path))
    .map((path) => `${folder}${path}`);
}

test("no test and no bench reads the people's fixtures/demo.json", () => {
  const readers = [...sources("tests/"), ...sources("bench/")].filter(
    (path) =>
      path !== "tests/unit/test-fixture.test.ts" && DEMO.test(readFileSync(new URL(path, root), "utf8")),
  );
  assert.deepEqual(readers, []);
});
