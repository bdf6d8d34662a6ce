// A fixture file as npm run seed and npm run dev read it: every refusal names the file, a JSON syntax
// error also its line and column (file:line:column, which terminals and editors open at the place).
import { readFile } from "node:fs/promises";
import { FixtureError, type FixtureItem, parseFixture } from "../lib/store/fixture.ts";
import { jsonErrorOffset, lineAndColumn } from "./json-position.ts";

/** V8's reason without its position (we give ours) or its echo of the text. */
function reason(error: unknown): string {
  return String((error as Error).message)
    .replace(/ in JSON at position \d+.*$/, "")
    .replace(/^(Unexpected token '.+?'), .* is not valid JSON$/s, "$1");
}

export async function readFixtureFile(file: string): Promise<FixtureItem[]> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw error.code === "ENOENT" ? new FixtureError(`${file}: no such file`) : error;
  });
  // An editor's byte-order mark is no mistake of the person editing.
  const json = text.replace(/^\uFEFF/, "");
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    const { line, column } = lineAndColumn(json, jsonErrorOffset(json) ?? 0);
    throw new FixtureError(`${file}:${line}:${column}: not valid JSON: ${reason(error)}`);
  }
  try {
    return parseFixture(document);
  } catch (error) {
    throw error instanceof FixtureError ? new FixtureError(`${file}: ${error.message}`) : error;
  }
}
