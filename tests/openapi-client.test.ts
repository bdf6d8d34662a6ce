// A client generator can use docs/openapi.json: openapi-typescript turns it into types, and a call that
// reads every field of the interface document's example answer type-checks under strict TypeScript,
// while reading a field with the wrong type, an unknown field, a refusal's data or sending no quotation
// does not. `npm run client` (README) writes those types into the repository, from redocly.yaml.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { INTERFACE_EXAMPLE_ANSWER } from "../scripts/openapi-examples.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const run = promisify(execFile);
const OPERATION = `paths["/api/communication/order/accept"]["post"]`;

/** How the client should see each field of the example: its JSON type, `type` as its one value. */
function expectedType(name: string, value: unknown): string {
  if (name === "type") return '"goods"';
  return typeof value === "number" ? "number" : "string";
}

/** A client module: the typed call, then every field of the interface example read into a typed const. */
function client(): string {
  const reads = Object.entries(INTERFACE_EXAMPLE_ANSWER.data).map(
    ([name, value]) => `  const ${name}: ${expectedType(name, value)} = data.${name};`,
  );
  return `import type { paths } from "./api.ts";
type Accept = ${OPERATION};
export type Body = Accept["requestBody"]["content"]["application/json"];
export type Answer = Accept["responses"][200]["content"]["application/json"];
export declare function accept(body: Body): Promise<Answer>;

export async function readEveryField(): Promise<unknown[]> {
  const answer = await accept({ goods_id: 188, quantity: 1, type: "goods", remark: "定制商品订单" });
  if (answer.code !== 0) {
    const code: -1 | 1001 | 1002 = answer.code;
    const text: string = answer.msg;
    // @ts-expect-error a refusal has no data
    return [code, text, answer.data];
  }
  const msg: "" = answer.msg;
  const { data } = answer;
${reads.join("\n")}
  const goods: number | undefined = data.details[0]?.goods_id;
  const phone: string | undefined = data.order_address?.phone;
  // @ts-expect-error not a field of the order
  const unknown = data.no_such_field;
  // @ts-expect-error one of comm_order_id, goods_id and details is required
  await accept({ remark: "no quotation named" });
  return [msg, ${Object.keys(INTERFACE_EXAMPLE_ANSWER.data).join(", ")}, goods, phone, unknown];
}
`;
}

/**
 * Type-checks the client module against `api` (openapi-typescript's output), and the same client reading
 * an amount as text, which the types must refuse: the problems found, as `file:line TScode message`.
 */
async function typeCheck(api: string): Promise<string[]> {
  const folder = await mkdtemp(join(tmpdir(), "openapi-client-"));
  try {
    await writeFile(join(folder, "api.ts"), api);
    await writeFile(join(folder, "client.ts"), client());
    const wrong = client().replace(
      "const amount: number = data.amount;",
      "const amount: string = data.amount;",
    );
    assert.notEqual(wrong, client());
    await writeFile(join(folder, "wrong.ts"), wrong);

    const program = ts.createProgram([join(folder, "client.ts"), join(folder, "wrong.ts")], {
      strict: true,
      noEmit: true,
      noUncheckedIndexedAccess: true,
      allowImportingTsExtensions: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const file = diagnostic.file?.fileName.slice(folder.length + 1) ?? "";
      const { line } = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0) ?? { line: -1 };
      return `${file}:${line + 1} TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The one problem typeCheck must find: the wrong client's amount. */
function onlyTheWrongAmount(): string[] {
  const amountLine =
    client()
      .split("\n")
      .findIndex((line) => line.includes("data.amount;")) + 1;
  return [`wrong.ts:${amountLine} TS2322 Type 'number' is not assignable to type 'string'.`];
}

test("openapi-typescript's client reads every field of the interface example, with strict types", async () => {
  const document = JSON.parse(await readFile(new URL("../docs/openapi.json", import.meta.url), "utf8"));
  assert.deepEqual(await typeCheck(astToString(await openapiTS(document))), onlyTheWrongAmount());
});

test("npm run client, and openapi-typescript as one would type it, write client/accept.d.ts in the repository", async () => {
  const output = join(root, "client/accept.d.ts");
  for (const command of [
    ["npm", "run", "-s", "client"],
    ["npx", "openapi-typescript", "docs/openapi.json", "-o", "api.d.ts"],
  ] as const) {
    await rm(output, { force: true });
    const [file, ...args] = command;
    await run(file, args, { cwd: root });
    assert.deepEqual(
      await typeCheck(await readFile(output, "utf8")),
      onlyTheWrongAmount(),
      command.join(" "),
    );
  }
  assert.equal(existsSync(join(root, "api.d.ts")), false, "redocly.yaml's output wins over -o");
});
