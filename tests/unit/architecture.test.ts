// The layers of docs/architecture.md, checked on the source text: no import runs back up the layers,
// each entity and the address's fields are declared once, files stay small, and the request context is
// never cast. A failure names the file and the line at fault.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { model } from "../../lib/store/model.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".ts") || path.endsWith(".js"))
    .map((path) => join(folder, path));
}
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** Every relative module a file imports or re-exports, from the repository root. */
function importsOf(path: string): string[] {
  const specifiers = [...read(path).matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/g)];
  return specifiers.map(([, specifier]) =>
    relative(root, normalize(join(root, dirname(path), specifier ?? ""))),
  );
}

/** What each layer must not import (docs/architecture.md). */
const RULES: { layer: string; allowed?: string[]; forbidden?: string[] }[] = [
  { layer: "lib/domain/", allowed: ["lib/domain/", "lib/errors.ts", "lib/i18n/"] },
  { layer: "lib/accept/", forbidden: ["lib/store/", "lib/http/", "lib/app/", "handlers/"] },
  { layer: "lib/store/", forbidden: ["lib/http/", "lib/app/", "handlers/"] },
  { layer: "lib/http/", forbidden: ["lib/store/", "lib/app/", "handlers/"] },
  { layer: "lib/", forbidden: ["handlers/", "scripts/", "tests/", "bench/"] },
];

test("no import runs back up the layers", () => {
  const violations: string[] = [];
  for (const file of sources("lib")) {
    for (const target of importsOf(file)) {
      for (const { layer, allowed, forbidden } of RULES) {
        if (!file.startsWith(layer)) continue;
        const refused = allowed
          ? !allowed.some((prefix) => target.startsWith(prefix))
          : forbidden?.some((prefix) => target.startsWith(prefix));
        if (refused) violations.push(`${file} imports ${target} (${layer} may not)`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("the check sees imports: lib/accept/accept-quotation.ts imports the domain and its own modules", () => {
  const targets = importsOf("lib/accept/accept-quotation.ts");
  assert.ok(
    targets.includes("lib/domain/quotation.ts") && targets.includes("lib/accept/commit.ts"),
    targets.join(),
  );
});

const declaringFiles = ["lib", "handlers", "scripts"].flatMap(sources);

test("each entity's name is written once, in lib/store/model.ts", () => {
  const names = Object.values(model).map((entity) => entity.name);
  const literal = new RegExp(`["'\`](${names.join("|")})["'\`]`);
  const found = declaringFiles.flatMap((file) =>
    read(file)
      .split("\n")
      .flatMap((line, index) =>
        file !== "lib/store/model.ts" && literal.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
      ),
  );
  assert.deepEqual(found, []);
  assert.equal(names.length, new Set(names).size, "one name per entity");
});

test("the address's fields are listed once, in lib/domain/address.ts", () => {
  // address_info is a name no other entity's field has: a second list of the fields would spell it.
  const found = declaringFiles.filter(
    (file) => file !== "lib/domain/address.ts" && /\baddress_info\b/.test(read(file)),
  );
  assert.deepEqual(found, []);
});

test("files stay small: the use case at most 200 lines, any file of lib/ at most 250", () => {
  const lines = (file: string) => read(file).split("\n").length - 1;
  const long = sources("lib")
    .filter((file) => lines(file) > 250)
    .map((file) => `${file}: ${lines(file)}`);
  assert.deepEqual(long, []);
  assert.ok(
    lines("lib/accept/accept-quotation.ts") <= 200,
    `${lines("lib/accept/accept-quotation.ts")} lines`,
  );
});

test("no request context is cast in lib/http, lib/app or handlers/: one type, lib/http/context.ts", () => {
  const casts = ["lib/http", "lib/app", "handlers"].flatMap(sources).flatMap((file) =>
    read(file)
      .split("\n")
      .flatMap((line, index) =>
        /context\)?\s+as\s/.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
      ),
  );
  assert.deepEqual(casts, []);
});
