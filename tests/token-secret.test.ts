// The deployed token secret (docs/operations.md): one SigV4-signed SSM GetParameter, bounded by the
// request's deadline, the last good value kept when a refresh fails, failures backed off, and a rotation
// window in which the previous secret is still accepted. SSM is a fake on 127.0.0.1 (fault injection);
// DynamoDB is the real DynamoDB Local.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createAcceptHandler } from "../lib/app/accept-handler.ts";
import { DEFAULT_REFRESH, MIN_SECRET_BYTES, parseSecrets, refreshingSecrets } from "../lib/auth/secrets.ts";
import { signToken, verifyToken } from "../lib/auth/token.ts";
import { parameterReader } from "../lib/aws/ssm-parameter.ts";
import { configFromEnvironment } from "../lib/config.ts";
import { type Behaviour, FAKE_CREDENTIALS, REGION, startFakeSsm } from "./support/fake-ssm.ts";
import { openShop, RETRY_LATER } from "./support/shop.ts";

const PARAMETER = "/anqicms-orders/test/token-secret";
/** Token secrets as long as AnqiCMS makes them (32 characters or more): shorter ones are refused. */
const S1 = "s1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const S2 = "s2-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const OLD = "old-secret-cccccccccccccccccccccccc";
const NEW = "new-secret-dddddddddddddddddddddddd";
const ACCEPT = { comm_order_id: 7 }; // alice's open quotation in the demo shop: 9900 cents

/**
 * A shop whose secrets come from a fake SSM, on a clock the test moves (ttl 5 min, back-off from 1 s).
 * `remainingMs` is the Lambda time left each request sees (the harness's clock stands still); `refresh`
 * overrides the refresh budgets.
 */
async function parameterShop(
  first: Behaviour,
  options: { remainingMs?: () => number; refresh?: Partial<typeof DEFAULT_REFRESH> } = {},
) {
  const ssm = await startFakeSsm(first);
  const clock = { now: 1_000_000 };
  const failures: { error: string; keptLastGood: boolean }[] = [];
  const secrets = refreshingSecrets(
    parameterReader({
      name: PARAMETER,
      region: REGION,
      credentials: async () => FAKE_CREDENTIALS,
      endpoint: ssm.endpoint,
    }),
    {
      ...DEFAULT_REFRESH,
      ...options.refresh,
      clock: () => clock.now,
      random: () => 0.5, // ttl exactly 5 min, back-off 3/4 of 1 s, 2 s, 4 s...
      onFailure: (error, keptLastGood) => failures.push({ error: String(error), keptLastGood }),
    },
  );
  // The handler's clock stands still too: a renewal's expiry is then exactly now + 24 h, however slow
  // the machine (a real clock could tick between the request and the assertion).
  const startedAt = Math.floor(Date.now() / 1000);
  const shop = await openShop(undefined, {
    secrets,
    now: () => startedAt,
    ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
  });
  const tokenOf = (secret: string, expiresIn = 86_400) => signToken(secret, 1000, shop.now() + expiresIn);
  const acceptWith = async (secret: string) => shop.accept(ACCEPT, { token: await tokenOf(secret) });
  const later = (ms: number) => {
    clock.now += ms;
  };
  return { ssm, shop, failures, tokenOf, acceptWith, later, [Symbol.asyncDispose]: ssm.close };
}

test("the secret is read with one SigV4-signed GetParameter, as the SSM API reference shapes it", async () => {
  await using fake = await parameterShop({ answer: S1 });
  const first = await fake.acceptWith(S1);
  assert.deepEqual([first.status, first.code, first.data.amount], [200, 0, 9900]);
  const replay = await fake.acceptWith(S1);
  assert.deepEqual([replay.code, replay.data.id], [0, first.data.id]);
  const forged = await fake.acceptWith("another-secret");
  assert.deepEqual([forged.code, forged.msg], [1001, "not logged in"]);

  assert.equal(fake.ssm.seen.length, 1, "one fetch per container while the value is fresh");
  const [request] = fake.ssm.seen;
  assert.equal(request?.target, "AmazonSSM.GetParameter");
  assert.equal(request?.contentType, "application/x-amz-json-1.1");
  assert.deepEqual(request?.body, { Name: PARAMETER, WithDecryption: true });
  assert.equal(request?.securityToken, FAKE_CREDENTIALS.sessionToken);
  assert.match(request?.scope ?? "", /^AKIDEXAMPLE\/\d{8}\/us-east-1\/ssm\/aws4_request$/);
  for (const header of ["content-type", "host", "x-amz-date", "x-amz-security-token", "x-amz-target"]) {
    assert.ok(request?.signedHeaders.includes(header), `${header} is signed`);
  }
  assert.equal(request?.signatureValid, true, "the signature matches one computed from the AWS docs");
});

test("an SSM that hangs: 503 at the request's deadline, nothing written, then a back-off", async () => {
  // The first fetch's own budget is out of reach, and the request's deadline comes 100 ms in (600 ms
  // left, less the handler's 500 ms margin), long before the socket's own 2 s timeout: the fetch ends
  // with the request. Later requests have all the time they need.
  let remainingMs = 600;
  await using fake = await parameterShop(
    { hang: true },
    { remainingMs: () => remainingMs, refresh: { fetchTimeoutMs: 3_600_000 } },
  );
  const before = await fake.shop.snapshot();
  const hung = await fake.acceptWith(S1);
  assert.deepEqual(
    { status: hung.status, code: hung.code, msg: hung.msg, data: hung.data },
    { status: 503, code: -1, msg: RETRY_LATER, data: undefined },
  );
  await fake.ssm.abandoned(1); // the fetch was given up: its connection closed, unanswered
  assert.deepEqual(await fake.shop.snapshot(), before);
  assert.deepEqual(
    fake.failures.map((failure) => failure.keptLastGood),
    [false],
  );

  // Backing off: the next request does not call SSM again, it answers 503 at once.
  remainingMs = 900_000;
  const backingOff = await fake.acceptWith(S1);
  assert.deepEqual([backingOff.status, backingOff.code], [503, -1]);
  assert.equal(fake.ssm.seen.length, 1);

  // After the back-off (3/4 of 1 s here), SSM is asked again and the order goes through.
  fake.ssm.set({ answer: S1 });
  fake.later(1_000);
  const recovered = await fake.acceptWith(S1);
  assert.deepEqual(
    [recovered.status, recovered.code, recovered.msg, recovered.data?.amount],
    [200, 0, "", 9900],
  );
  assert.equal(fake.ssm.seen.length, 2);
});

test("a failed refresh keeps the last good secret, and failures back off instead of multiplying", async () => {
  await using fake = await parameterShop({ answer: S1 });
  assert.equal((await fake.acceptWith(S1)).code, 0);

  // Five minutes on, the refresh fails: the request goes on with the value it had.
  fake.later(5 * 60_000);
  fake.ssm.set({ fail: 500, type: "InternalServerError" });
  const afterFailure = await fake.acceptWith(S1);
  assert.deepEqual([afterFailure.status, afterFailure.code], [200, 0]);
  assert.equal(fake.ssm.seen.length, 2);
  assert.deepEqual(fake.failures, [
    { error: "ParameterFetchError: SSM GetParameter answered 500 InternalServerError", keptLastGood: true },
  ]);

  // Inside the back-off no request calls SSM; after it, one does (throttled this time: 400).
  for (let i = 0; i < 3; i++) assert.equal((await fake.acceptWith(S1)).code, 0);
  assert.equal(fake.ssm.seen.length, 2);
  fake.ssm.set({ fail: 400, type: "ThrottlingException" });
  fake.later(1_000);
  assert.equal((await fake.acceptWith(S1)).code, 0);
  assert.equal(fake.ssm.seen.length, 3);
  fake.later(1_000); // the second back-off is 3/4 of 2 s
  assert.equal((await fake.acceptWith(S1)).code, 0);
  assert.equal(fake.ssm.seen.length, 3);

  // A refresh that hangs holds a request up for the refresh budget only, never until a 503: the
  // request's own deadline is out of reach (the harness gives 15 minutes), so the order going through
  // with the last good secret proves the budget ended the wait.
  fake.ssm.set({ hang: true });
  fake.later(2_000);
  const slowRefresh = await fake.acceptWith(S1);
  assert.deepEqual([slowRefresh.status, slowRefresh.code], [200, 0]);
  await fake.ssm.abandoned(1);
  assert.equal(fake.ssm.seen.length, 4);
  assert.deepEqual(
    fake.failures.map((failure) => failure.keptLastGood),
    [true, true, true],
  );

  // Once SSM answers again, its value replaces the old one.
  fake.ssm.set({ answer: S2 });
  fake.later(10_000);
  assert.equal((await fake.acceptWith(S2)).code, 0);
  assert.equal((await fake.acceptWith(S1)).code, 1001);
  assert.equal(fake.ssm.seen.length, 5);
});

test("rotation: the new secret first and the old one after it are both accepted, then only the new", async () => {
  await using fake = await parameterShop({ answer: OLD });
  assert.equal((await fake.acceptWith(OLD)).code, 0);
  assert.equal((await fake.acceptWith(NEW)).code, 1001);

  fake.ssm.set({ answer: `${NEW}\n${OLD}\n` });
  fake.later(5 * 60_000);
  assert.equal((await fake.acceptWith(OLD)).code, 0);
  assert.equal((await fake.acceptWith(NEW)).code, 0);
  // A renewal during the window is signed with the new secret only.
  const renewing = await fake.shop.accept(ACCEPT, { token: await fake.tokenOf(OLD, 1800) });
  assert.equal(renewing.code, 0);
  const renewed = renewing.headers["update-token"] as string;
  const now = fake.shop.now();
  assert.deepEqual(await verifyToken(NEW, renewed, now), { userId: 1000, expiresAt: now + 86_400 });
  assert.equal(await verifyToken(OLD, renewed, now), undefined);

  fake.ssm.set({ answer: NEW });
  fake.later(5 * 60_000);
  assert.deepEqual([(await fake.acceptWith(OLD)).code, (await fake.acceptWith(NEW)).code], [1001, 0]);
  assert.equal(fake.ssm.seen.length, 3);
});

test("the parameter lists one secret per line; an empty one is a platform fault", () => {
  assert.deepEqual(parseSecrets(`  ${NEW} \r\n\n${OLD}\n`), { signing: NEW, accepted: [NEW, OLD] });
  assert.deepEqual(parseSecrets(S1), { signing: S1, accepted: [S1] });
  assert.throws(() => parseSecrets(" \n \n"), { name: "PlatformFault" });
});

/** The message a weak secret is refused with: it names the fix and never the secret. */
const WEAK =
  /is \d+ bytes long, shorter than the 32 AnqiCMS generates: use the AnqiCMS site's own token secret, or give the site and this service a new one \(openssl rand -hex 32\)/;

/** A local handler's config, for createAcceptHandler. */
const LOCAL_CONFIG = {
  tableName: "anqicms-orders-test",
  dynamodbEndpoint: undefined,
  tokenSecretParameter: undefined,
  settingsTtlSeconds: 60,
  siteLanguage: "zh-CN",
} as const;

test("a secret shorter than AnqiCMS's 32 characters is refused at cold start, naming the fix", (t) => {
  assert.equal(MIN_SECRET_BYTES, 32, "AnqiCMS: config.GenerateRandString(32); never under 16 bytes");
  const saved = { ...process.env };
  t.after(() => {
    process.env = saved;
  });
  process.env.TABLE_NAME = "anqicms-orders-test";
  delete process.env.TOKEN_SECRET_PARAMETER;
  // One character, the old 16-character test value, 31 bytes, and 30 bytes in 10 CJK characters.
  for (const weak of ["x", "local-dev-secret", "a".repeat(31), "密".repeat(10)]) {
    process.env.TOKEN_SECRET = weak;
    assert.throws(() => configFromEnvironment(), { message: WEAK }, weak);
    if (weak.length > 1) {
      assert.throws(
        () => configFromEnvironment(),
        (error: Error) => !error.message.includes(weak),
        "no secret",
      );
    }
    // A handler built from a config of its own (tests, benches) is refused the same way.
    assert.throws(() => createAcceptHandler({ ...LOCAL_CONFIG, tokenSecret: weak }), { message: WEAK });
  }
  for (const strong of ["a".repeat(32), "密".repeat(11), S1]) {
    process.env.TOKEN_SECRET = strong;
    assert.equal(configFromEnvironment().tokenSecret, strong);
  }
});

test("a weak secret in the SSM parameter: 503 until it is fixed, and a refresh to one keeps the last good", async () => {
  assert.throws(() => parseSecrets(`${NEW}\nshort`), { name: "PlatformFault", message: WEAK });
  await using fake = await parameterShop({ answer: "tiny" });
  const refused = await fake.acceptWith("tiny");
  assert.deepEqual([refused.status, refused.code], [503, -1]);
  assert.match(fake.failures[0]?.error ?? "", /token secret parameter's secret 1 is 4 bytes long/);
  assert.doesNotMatch(fake.failures[0]?.error ?? "", /tiny/, "the log never holds the secret");

  fake.ssm.set({ answer: S1 });
  fake.later(60_000); // past the back-off
  assert.equal((await fake.acceptWith(S1)).code, 0);
  fake.ssm.set({ answer: `${S1}\nweak-previous` });
  fake.later(5 * 60_000);
  assert.equal((await fake.acceptWith(S1)).code, 0, "the last good value stays in use");
  assert.equal(fake.failures.length, 2);
});
