// npm run seed -- <fixture.json>: creates the table when missing and loads the fixture into it.
import { readFile } from "node:fs/promises";
import { createDocumentClient } from "../lib/store/client.ts";
import { loadFixture, parseFixture } from "../lib/store/fixture.ts";
import { ensureTable } from "../lib/store/table.ts";

export async function seed(options: {
  file: string;
  tableName: string;
  endpoint: string | undefined;
}): Promise<number> {
  const items = parseFixture(JSON.parse(await readFile(options.file, "utf8")));
  const doc = createDocumentClient({ endpoint: options.endpoint });
  try {
    await ensureTable(doc, options.tableName);
    await loadFixture({ doc, table: options.tableName }, items);
    return items.length;
  } finally {
    doc.destroy();
  }
}

if (import.meta.main) {
  const file = process.argv[2];
  const tableName = process.env.TABLE_NAME;
  if (!file || !tableName) {
    console.error("usage: TABLE_NAME=<table> [DYNAMODB_ENDPOINT=<url>] npm run seed -- <fixture.json>");
    process.exit(2);
  }
  try {
    const count = await seed({ file, tableName, endpoint: process.env.DYNAMODB_ENDPOINT });
    console.log(`loaded ${count} items from ${file} into ${tableName}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
