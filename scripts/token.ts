// npm run token -- <userId> [--ttl seconds]: prints an AnqiCMS login token signed with TOKEN_SECRET,
// alone on stdout so that `TOKEN=$(npm run -s token -- 1000)` works.
import { parseArgs } from "node:util";
import { weakSecret } from "../lib/auth/secrets.ts";
import { signToken, TOKEN_LIFETIME_SECONDS } from "../lib/auth/token.ts";

const USAGE = "usage: TOKEN_SECRET=<secret> npm run token -- <userId> [--ttl seconds]";

function positive(raw: string | undefined, what: string): number {
  const value = Number(raw);
  if (!raw || !/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${what} must be a positive integer, not "${raw ?? ""}"\n${USAGE}`);
  }
  return value;
}

try {
  const { values, positionals } = parseArgs({
    options: { ttl: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const userId = positive(positionals[0], "userId");
  const ttl = values.ttl === undefined ? TOKEN_LIFETIME_SECONDS : positive(values.ttl, "--ttl");
  const secret = process.env.TOKEN_SECRET?.trim();
  if (!secret) {
    throw new Error(
      "TOKEN_SECRET is unset: use the secret the service runs with (npm run dev prints the one it made up).\n" +
        USAGE,
    );
  }
  const weak = weakSecret(secret, "TOKEN_SECRET"); // the service would refuse to start with it
  if (weak) throw new Error(weak);
  console.log(await signToken(secret, userId, Math.floor(Date.now() / 1000) + ttl));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
