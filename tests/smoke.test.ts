// npm run smoke against a stand-in for a deployed stage whose token secret cannot be read: tokenless
// requests still get 1001, but any token needs the secret, so the function answers 503. The check must fail.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

test("the smoke check fails when the deployed function cannot read its token secret", async (t) => {
  const stage = createServer((request, response) => {
    const busy = request.headers.token !== undefined;
    response.writeHead(busy ? 503 : 200, { "content-type": "application/json" });
    response.end(JSON.stringify(busy ? { code: -1, msg: "系统繁忙，请稍后再试" } : { code: 1001, msg: "x" }));
  });
  await new Promise<void>((resolve) => stage.listen(0, "127.0.0.1", resolve));
  t.after(() => stage.close());
  const { port } = stage.address() as { port: number };
  const smoke = fileURLToPath(new URL("../scripts/smoke.ts", import.meta.url));
  await assert.rejects(
    promisify(execFile)(process.execPath, [smoke, `http://127.0.0.1:${port}`]),
    (error: { code?: number; stdout?: string; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.match(String(error.stdout), /^ok {3}POST \/api\/communication\/order\/accept without a token/m);
      assert.match(
        String(error.stderr),
        /^FAIL POST \/api\/communication\/order\/accept with a token signed by another secret \(503: the token secret cannot be read\): expected HTTP 200 \{code: 1001\}, got HTTP 503/m,
      );
      return true;
    },
  );
});

test("the smoke check against nothing listening: one FAIL line, no stack", async () => {
  // A port that was free a moment ago: closed again, so nothing answers on it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const smoke = fileURLToPath(new URL("../scripts/smoke.ts", import.meta.url));
  await assert.rejects(
    promisify(execFile)(process.execPath, [smoke, `http://127.0.0.1:${port}`]),
    (error: { code?: number; stdout?: string; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.equal(error.stdout, "");
      assert.equal(
        error.stderr,
        `FAIL POST http://127.0.0.1:${port}/api/communication/order/accept: connection refused: nothing listens there (is the URL right, the stage deployed?)\n`,
      );
      return true;
    },
  );
});
