// `npm run seed -- <file> --aws` on a machine with no AWS set up, and without variables with no npm run
// dev to load: one line saying what to set, no stack. No network: the SDK stops at the missing region or credentials (instance metadata disabled).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const seedScript = fileURLToPath(new URL("../scripts/seed.ts", import.meta.url));
const demo = fileURLToPath(new URL("./fixtures/shop.json", import.meta.url));

/** Runs the seed with only PATH, an empty HOME (no ~/.aws) and `env`; its exit code and output. */
async function seedWith(env: Record<string, string>, args = [demo, "--aws"]) {
  const home = await mkdtemp(join(tmpdir(), "seed-home-"));
  const run = promisify(execFile)(process.execPath, [seedScript, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    },
  });
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code,
      stdout: String(error.stdout),
      stderr: String(error.stderr),
    }),
  );
}

test("--aws without a region: set AWS_REGION or a profile with one", async () => {
  const result = await seedWith({ TABLE_NAME: "t" });
  assert.deepEqual(result, {
    code: 1,
    stdout: "",
    stderr:
      "no AWS region: set AWS_REGION (e.g. AWS_REGION=ap-east-1), or AWS_PROFILE to a profile with a region in ~/.aws/config\n",
  });
});

test("--aws with a region but no credentials: set AWS_PROFILE, or the access key variables", async () => {
  const result = await seedWith({ TABLE_NAME: "t", AWS_REGION: "ap-east-1" });
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.match(
    result.stderr,
    /^no AWS credentials: set AWS_PROFILE .* or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
  );
  assert.equal(result.stderr.split("\n").length, 2, "one line");
  assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack");
});

test("no variables: the running npm run dev's table, or one line saying how to choose", async () => {
  assert.deepEqual(await seedWith({ PORT: "1" }, [demo]), {
    code: 1,
    stdout: "",
    stderr:
      "no npm run dev is running on port 1 from this folder: start one, or name a table: " +
      "TABLE_NAME=<table> DYNAMODB_ENDPOINT=<url> npm run seed -- <file>\n",
  });
  const usage = await seedWith({}, []);
  assert.equal(usage.code, 2);
  assert.match(
    usage.stderr,
    /^usage: npm run seed -- <fixture\.json> \[--replace\] {3}\(into the running npm run dev's table\)$/m,
  );
});
