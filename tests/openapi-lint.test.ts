// `redocly lint` with its recommended rules (redocly.yaml) passes docs/openapi.json with no error and no
// warning, and does so offline: the CLI runs under the network guard, which refuses and reports any
// connection or DNS lookup. A copy with two known defects shows the lint does find what it should.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const redocly = join(
  createRequire(import.meta.url).resolve("@redocly/cli/package.json"),
  "..",
  "bin",
  "cli.js",
);
const guard = fileURLToPath(new URL("./support/network-guard.ts", import.meta.url));

interface Report {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; location: { source: { ref: string } }[] }[];
}

/** Runs `redocly lint --format=json` on the files; one report per file, and what went to stderr. */
function lint(files: string[]): Promise<{ reports: Report[]; stderr: string }> {
  const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_NOTIFICATIONS: "true" };
  const args = ["--import", guard, redocly, "lint", ...files, "--format=json"];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, env }, (_error, stdout, stderr) => {
      // One JSON object per file, back to back.
      const reports = JSON.parse(`[${stdout.replace(/}\s*{\s*"totals"/g, '},{"totals"')}]`) as Report[];
      resolve({ reports, stderr });
    });
  });
}

test("redocly lint, recommended rules: docs/openapi.json has 0 errors and 0 warnings, offline", async () => {
  const folder = await mkdtemp(join(tmpdir(), "openapi-lint-"));
  try {
    // The same document without its licence (a warning) and its operation summary (an error).
    const broken = JSON.parse(await readFile(join(root, "docs/openapi.json"), "utf8"));
    delete broken.info.license;
    delete broken.paths["/api/communication/order/accept"].post.summary;
    const brokenFile = join(folder, "broken.json");
    await writeFile(brokenFile, JSON.stringify(broken, null, 2));

    const { reports, stderr } = await lint(["docs/openapi.json", brokenFile]);
    assert.doesNotMatch(stderr, /network:/, "the lint touched the network");
    const [ours, theirs] = reports;
    assert.deepEqual(ours?.totals, { errors: 0, warnings: 0, ignored: 0 }, JSON.stringify(ours?.problems));
    assert.deepEqual(theirs?.problems.map((problem) => `${problem.severity} ${problem.ruleId}`).sort(), [
      "error operation-summary",
      "warn info-license",
    ]);
    assert.match(stderr, /using lint rules for api 'accept'/, "redocly.yaml was read");
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
