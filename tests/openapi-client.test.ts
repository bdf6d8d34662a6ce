// A client generator can use docs/openapi.json: openapi-typescript turns it into types, and a call that
// reads every field of the interface document's example answer type-checks under strict TypeScript,
// while reading a field with the wrong type, an unknown field, a refusal's data or sending no quotation
// does not.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { INTERFACE_EXAMPLE_ANSWER } from "../scripts/openapi-examples.ts";

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

test("openapi-typescript's client reads every field of the interface example, with strict types", async () => {
  const folder = await mkdtemp(join(tmpdir(), "openapi-client-"));
  try {
    const document = JSON.parse(await readFile(new URL("../docs/openapi.json", import.meta.url), "utf8"));
    await writeFile(join(folder, "api.ts"), astToString(await openapiTS(document)));
    await writeFile(join(folder, "client.ts"), client());
    // The same client reading an amount as text: the types must refuse it.
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
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const file = diagnostic.file?.fileName.slice(folder.length + 1) ?? "";
      const { line } = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0) ?? { line: -1 };
      return `${file}:${line + 1} TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
    });
    const amountLine =
      client()
        .split("\n")
        .findIndex((line) => line.includes("data.amount;")) + 1;
    assert.deepEqual(problems, [
      `wrong.ts:${amountLine} TS2322 Type 'number' is not assignable to type 'string'.`,
    ]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
