// `npm run dev` end to end, the way a user or an outside test runs it: its own PORT, TABLE_NAME,
// TOKEN_SECRET and fixture file, requests over HTTP through the real serverless-offline, then a stop that
// leaves no process and no port behind.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { signToken } from "../lib/auth/token.ts";
import { createDocumentClient } from "../lib/store/client.ts";
import { loadFixture, parseFixture } from "../lib/store/fixture.ts";
import { freePort } from "../scripts/dynamodb-local.ts";
import { killTree, portIsFree, processTree, startDev, survivors } from "./support/dev-server.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../", import.meta.url));
const EXAMPLE = { goods_id: 188, quantity: 1, type: "goods", remark: "定制商品订单" };

/** The tests' shop plus a customer (4242) and a quotation (42) that exist in this file only. */
async function ownFixture(dir: string): Promise<string> {
  const demo = JSON.parse(await readFile(new URL("./fixtures/shop.json", import.meta.url), "utf8"));
  demo.users.push({
    id: 4242,
    user_name: "offline-tester",
    group_id: 1,
    parent_id: 0,
    is_retailer: 0,
    status: 1,
  });
  demo.comm_orders.push({
    id: 42,
    user_id: 4242,
    archive_id: 188,
    title: "Offline quote",
    status: 2,
    quote_price: "12.34",
  });
  const file = join(dir, "shop.json");
  await writeFile(file, JSON.stringify(demo));
  return file;
}

interface Answer {
  code: number;
  msg: string;
  data?: { user_id: number; comm_order_id: number; amount: number; order_id: string };
}

async function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: Answer }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-language": "en-US", ...(token ? { token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

test("npm run dev serves the printed curl, refusals, its own fixture and what the banner's seed command loads, one short line a request, then stops leaving nothing", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "offline-test-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const secret = randomBytes(24).toString("hex");
  const table = `offline-${randomUUID()}`;
  const fixture = await ownFixture(dir);
  const dev = startDev({ PORT: String(port), TABLE_NAME: table, TOKEN_SECRET: secret, FIXTURE: fixture });
  t.after(() => killTree(dev.child.pid));

  const [, endpoint] = await dev.waitFor(/DynamoDB Local: (http:\/\/\S+)/);
  const [startup, lambdaPort] = await dev.waitFor(/started in [\d.]+ s; Lambda port (\d+)\)/);
  t.diagnostic(startup);
  const [curl] = await dev.waitFor(/^curl .*$/m);
  const url = `http://127.0.0.1:${port}/api/communication/order/accept`;
  const tree = processTree(dev.child.pid as number);
  assert.ok(
    tree.some((proc) => proc.command.includes("DynamoDBLocal.jar")),
    "runs its own DynamoDB Local",
  );
  assert.ok(
    tree.some((proc) => proc.command.includes("offline")),
    "runs serverless-offline",
  );

  // The printed curl, exactly as printed: the interface document's example.
  const example = JSON.parse((await run("sh", ["-c", curl])).stdout);
  assert.equal(example.code, 0);
  assert.equal(example.data.user_id, 1000);
  assert.equal(example.data.comm_order_id, 7);
  assert.equal(example.data.amount, 9900);
  assert.equal(example.data.seller_id, 15);
  assert.equal(example.data.seller_amount, 7920);
  assert.equal(example.data.details[0].goods_id, 188);

  // No token: a contract outcome, HTTP 200.
  assert.deepEqual(await post(url, EXAMPLE), { status: 200, body: { code: 1001, msg: "not logged in" } });
  // Signed with another secret: not logged in either, so TOKEN_SECRET really is this run's.
  const forged = await signToken("another-secret", 1000, Math.floor(Date.now() / 1000) + 3600);
  assert.equal((await post(url, EXAMPLE, forged)).body.code, 1001);

  // A customer only our fixture file has, with a token from `npm run token` and the same secret.
  const token = (
    await run("npm", ["run", "-s", "token", "--", "4242", "--ttl", "600"], {
      env: { ...process.env, TOKEN_SECRET: secret },
    })
  ).stdout.trim();
  const own = await post(url, EXAMPLE, token);
  assert.equal(own.body.code, 0, JSON.stringify(own.body));
  assert.equal(own.body.data?.user_id, 4242);
  assert.equal(own.body.data?.comm_order_id, 42);
  assert.equal(own.body.data?.amount, 1234);

  // The fixture edited while the run goes on (a customer 4343 and a quotation 43 more), loaded with the
  // command the banner printed, exactly, from a shell that sets none of the seed's variables.
  const [, seedCommand] = await dev.waitFor(/^Load data: (.*?) {3}\(/m);
  const edited = JSON.parse(await readFile(fixture, "utf8"));
  edited.users.push({ id: 4343, user_name: "newcomer", status: 1 });
  edited.comm_orders.push({
    id: 43,
    user_id: 4343,
    archive_id: 188,
    title: "Later",
    status: 2,
    quote_price: "5",
  });
  await writeFile(fixture, JSON.stringify(edited));
  const seeded = await run("sh", ["-c", seedCommand as string], {
    cwd: root,
    env: { PATH: process.env.PATH },
  });
  assert.match(
    seeded.stdout,
    new RegExp(`^${table} at ${endpoint} \\(npm run dev on port ${port}\\): \\d+ items: 2 written,`, "m"),
  );
  const newcomer = (
    await run("npm", ["run", "-s", "token", "--", "4343"], { env: { ...process.env, TOKEN_SECRET: secret } })
  ).stdout.trim();
  const later = await post(url, { comm_order_id: 43 }, newcomer);
  assert.equal(later.body.code, 0, JSON.stringify(later.body));
  assert.equal(later.body.data?.amount, 500);

  // The terminal: one short line per request, in order, and none of the JSON, metrics or notices.
  await dev.waitFor(new RegExp(`code 0 order ${later.body.data?.order_id} \\d+ ms$`, "m"));
  const requests = dev.output().match(/^\d\d:\d\d:\d\d (code|HTTP) .*$/gm) ?? [];
  assert.deepEqual(
    requests.map((line) => line.replace(/^\S+ /, "").replace(/\d+ ms$/, "… ms")),
    [
      `code 0 order ${example.data.order_id} … ms`,
      "code 1001 auth.not_logged_in … ms",
      "code 1001 auth.not_logged_in … ms",
      `code 0 order ${own.body.data?.order_id} … ms`,
      `code 0 order ${later.body.data?.order_id} … ms`,
    ],
  );
  assert.ok(requests.every((line) => line.length < 160));
  assert.doesNotMatch(dev.output(), /"_aws"|"level"|RequestId:|offline-tester|newcomer/);

  // The three orders landed in TABLE_NAME at the DynamoDB the run printed.
  const doc = createDocumentClient({ endpoint: endpoint as string });
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: table }));
  doc.destroy();
  const orders = Items.filter((item) => item.entity === "Order").map((item) => item.order_id);
  assert.deepEqual(
    orders.sort(),
    [example.data.order_id, own.body.data?.order_id, later.body.data?.order_id].sort(),
  );

  // The post-deploy smoke check, against this run: 1001 envelope, the dev stage's origin admitted.
  const base = `http://127.0.0.1:${port}`;
  const smoke = await run("npm", ["run", "-s", "smoke", "--", base, "--origin", "http://localhost:3000"]);
  assert.match(
    smoke.stdout,
    /^ok {3}POST \/api\/communication\/order\/accept without a token: HTTP 200 code 1001 "该操作需要登录，请登录后重试" \(\d+ ms\)$/m,
  );
  assert.match(
    smoke.stdout,
    /^ok {3}POST \/api\/communication\/order\/accept with a token signed by another secret: HTTP 200 code 1001, the secret was read \(\d+ ms\)$/m,
  );
  assert.match(
    smoke.stdout,
    /^ok {3}preflight from http:\/\/localhost:3000 admitted, token header allowed \(\d+ ms\)$/m,
  );
  assert.match(smoke.stdout, /^latency: first \d+ ms; next 5: median \d+ ms, max \d+ ms$/m);
  await assert.rejects(
    run("npm", ["run", "-s", "smoke", "--", base, "--origin", "https://elsewhere.example"]),
    (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 1);
      assert.match(String(error.stderr), /FAIL the preflight from https:\/\/elsewhere\.example is refused/);
      return true;
    },
  );

  // SIGTERM to npm (what a supervisor or a test harness sends): everything it started goes.
  dev.child.kill("SIGTERM");
  await dev.exited;
  assert.deepEqual(await survivors(tree), []);
  for (const used of [port, Number(lambdaPort), Number(new URL(endpoint as string).port)]) {
    assert.ok(await portIsFree(used), `port ${used} is still held`);
  }
});

test("Ctrl-C stops a run using DYNAMODB_ENDPOINT, which starts no DynamoDB, loads nothing with FIXTURE=none and logs JSON with DEV_LOG=json", async (t) => {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  assert.ok(endpoint, "the global setup names a DynamoDB Local");
  const port = await freePort();
  const table = `offline-${randomUUID()}`;
  // Its own process group, as a terminal runs it: Ctrl-C signals the whole group.
  const dev = startDev(
    {
      PORT: String(port),
      TABLE_NAME: table,
      FIXTURE: "none",
      DYNAMODB_ENDPOINT: endpoint,
      DEV_LOG: "json",
      POWERTOOLS_METRICS_DISABLED: "true",
    },
    { detached: true },
  );
  t.after(() => killTree(dev.child.pid));
  await dev.waitFor(/Lambda port (\d+)\)/);
  const tree = processTree(dev.child.pid as number);
  assert.ok(!tree.some((proc) => proc.command.includes("DynamoDBLocal.jar")), "starts no DynamoDB Local");
  assert.match(dev.output(), /Table offline-\S+: created it empty/);
  // No TOKEN_SECRET given: a random one, printed for `npm run token`. No fixture, so no user to make a
  // token for: the banner says so, rather than print one for a user 1000 the table does not hold.
  const [, secret] = await dev.waitFor(/TOKEN_SECRET=(\S+) npm run token/);
  assert.ok((secret as string).length >= 32, "a long random secret");
  assert.match(dev.output(), /^No fixture loaded \(FIXTURE=none\)/m);
  assert.doesNotMatch(dev.output(), /Token for user|^curl /m);

  const doc = createDocumentClient({ endpoint });
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: table }));
  assert.deepEqual(Items, []);
  const url = `http://127.0.0.1:${port}/api/communication/order/accept`;
  assert.deepEqual((await post(url, EXAMPLE)).body, { code: 1001, msg: "not logged in" });
  // The printed secret is the run's: a user put in the table, with a token signed by it, is refused for
  // want of a quotation (-1), not as a stranger (1001).
  await loadFixture({ doc, table }, parseFixture({ users: [{ id: 77 }] }));
  const token = await signToken(secret as string, 77, Math.floor(Date.now() / 1000) + 600);
  assert.equal((await post(url, EXAMPLE, token)).body.code, -1);
  doc.destroy();
  // DEV_LOG=json: the Lambda's structured lines as deployed; POWERTOOLS_METRICS_DISABLED=true: no blobs.
  await dev.waitFor(/"message":"request".*"code":-1/);
  assert.match(dev.output(), /"message":"request".*"code":1001/);
  assert.doesNotMatch(dev.output(), /"_aws"/);

  process.kill(-(dev.child.pid as number), "SIGINT");
  await dev.exited;
  assert.deepEqual(await survivors(tree), []);
  assert.ok(await portIsFree(port), `port ${port} is still held`);
});

test("a PORT already in use is refused at once with a clear message, before anything starts", async (t) => {
  const holder = createServer();
  await new Promise<void>((done) => holder.listen(0, "127.0.0.1", done));
  t.after(() => holder.close());
  const port = (holder.address() as { port: number }).port;

  const dev = startDev({ PORT: String(port), TABLE_NAME: `offline-${randomUUID()}` });
  t.after(() => killTree(dev.child.pid));
  assert.equal(await dev.exited, 1);
  assert.match(dev.output(), new RegExp(`Port ${port} is in use.*PORT=\\d+ npm run dev`));
  assert.doesNotMatch(dev.output(), /DynamoDB Local:|at .*dev\.ts/);
});
