// Fixture files as npm run seed and npm run dev read them: each refusal names the file; broken JSON also
// its line and column, found by scripts/json-position.ts where V8's message gives none.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { FixtureError } from "../../lib/store/fixture.ts";
import { readFixtureFile } from "../../scripts/fixture-file.ts";
import { jsonErrorOffset, lineAndColumn } from "../../scripts/json-position.ts";
import { assertProperty } from "../support/seeds.ts";

/** readFixtureFile of `text` in a file shop.json: its items, or its refusal's message. */
async function read(text: string): Promise<unknown[] | string> {
  const folder = await mkdtemp(join(tmpdir(), "fixture-file-"));
  const file = join(folder, "shop.json");
  try {
    await writeFile(file, text);
    return await readFixtureFile(file);
  } catch (error) {
    assert.ok(error instanceof FixtureError, String(error));
    return error.message.replace(file, "shop.json");
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

test("broken JSON: the file, its line and column, and what was wrong", async () => {
  // What the issue met: a file cut short, which V8 reports with no position at all.
  assert.equal(
    await read('{\n  "users": [\n    { "id": 1 },\n'),
    "shop.json:4:1: not valid JSON: Unexpected end of JSON input",
  );
  // A comma too many: V8 names the token but no position.
  assert.equal(
    await read('{\n  "users": [\n    { "id": 1 },\n  ]\n}\n'),
    "shop.json:4:3: not valid JSON: Unexpected token ']'",
  );
  // A missing comma: V8's own position, said once.
  assert.equal(
    await read('{\n  "users": []\n  "goods": []\n}'),
    "shop.json:3:3: not valid JSON: Expected ',' or '}' after property value",
  );
});

test("a byte-order mark, as some editors save, is no error", async () => {
  assert.deepEqual(await read('\uFEFF{ "users": [] }'), []);
});

test("an unknown top-level key names the file and the keys a fixture has", async () => {
  assert.equal(
    await read('{ "products": [] }'),
    "shop.json: fixture products: unknown key; a fixture's keys are settings, user_groups, users, goods, " +
      "comm_orders, addresses, coupons, coupon_codes",
  );
  assert.equal(
    await read('{ "users": [{ "id": 1, "status": "1" }] }'),
    'shop.json: fixture users[0].status: Invalid type: Expected number but received "1"',
  );
  assert.equal(
    await read('"users"'),
    'shop.json: fixture: Invalid type: Expected Object but received "users"',
  );
});

test("a missing file is named", async () => {
  await assert.rejects(
    readFixtureFile("no/such/shop.json"),
    new FixtureError("no/such/shop.json: no such file"),
  );
});

test("the position finder agrees with JSON.parse: valid exactly when it parses, at V8's place when V8 names one", async () => {
  // JSON texts with one character deleted, doubled or replaced: mostly broken, sometimes still valid.
  const edited = fc
    .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom("delete", "double", ...`,:]}["0 \n\\`))
    .map(([text, at, edit]) => {
      const i = at % (text.length + 1);
      if (edit === "delete") return text.slice(0, i) + text.slice(i + 1);
      if (edit === "double") return text.slice(0, i) + text.slice(i - 1, i) + text.slice(i);
      return text.slice(0, i) + edit + text.slice(i + 1);
    });
  await assertProperty(
    "json-position",
    fc.property(edited, (text) => {
      let v8: string | undefined;
      try {
        JSON.parse(text);
      } catch (error) {
        v8 = (error as Error).message;
      }
      const offset = jsonErrorOffset(text);
      assert.equal(offset === undefined, v8 === undefined, `${JSON.stringify(text)}: ${v8}`);
      const named = v8?.match(/\(line (\d+) column (\d+)\)/);
      if (named && offset !== undefined) {
        assert.deepEqual(lineAndColumn(text, offset), { line: Number(named[1]), column: Number(named[2]) });
      }
    }),
    { numRuns: 2_000 },
  );
});
