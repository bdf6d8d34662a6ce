// The docs name only what exists: every file path in backticks or in a relative link in README.md and
// docs/*.md, and every `npm run <script>`. A rename that forgets a doc fails here.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const root = new URL("../../", import.meta.url);
const docs = [
  "README.md",
  ...readdirSync(new URL("docs/", root))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const scripts = Object.keys(
  (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> })
    .scripts,
);

/** Paths a build or the reader's machine makes (the zip's members included), never in the repository. */
const MADE_ELSEWHERE = [/^\.serverless\//, /^handlers\/(accept\.js(\.map)?|package\.json)$/];

/** Every file of the repository (node_modules and build output aside), by path from the root. */
function repositoryFiles(folder = "", into: string[] = []): string[] {
  for (const entry of readdirSync(new URL(folder || "./", root), { withFileTypes: true })) {
    if (["node_modules", ".git", ".serverless", ".esbuild"].includes(entry.name)) continue;
    const path = `${folder}${entry.name}`;
    if (entry.isDirectory()) repositoryFiles(`${path}/`, into);
    else into.push(path);
  }
  return into;
}
const files = repositoryFiles();
const topLevel = new Set(files.map((path) => path.split("/")[0]));

/**
 * The file paths a doc names: backticked or linked text without spaces that is either a path whose
 * first folder exists (from the root, or beside the doc: `lib/store/db.ts`, `events/x.json` in docs/),
 * or a bare file name with an extension (`zh-TW.ts`), which must be some file's name. `Asia/Shanghai`,
 * `AWS/Events` and URLs are not paths; `#anchors` and `:line` suffixes are dropped.
 */
function pathsIn(text: string, folder: string): { path: string; bare: boolean }[] {
  const ticked = [...text.matchAll(/`([^`\s]+)`/g)].map((match) => match[1] as string);
  const linked = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] as string);
  const besideDoc = new Set(
    files.filter((path) => path.startsWith(folder)).map((path) => path.slice(folder.length).split("/")[0]),
  );
  return [...ticked, ...linked]
    .map((candidate) => candidate.replace(/#.*$/, "").replace(/:\d+$/, ""))
    .filter((candidate) => /^[\w.][\w./-]*$/.test(candidate) && !/^\w+:/.test(candidate))
    .flatMap((candidate): { path: string; bare: boolean }[] => {
      if (MADE_ELSEWHERE.some((pattern) => pattern.test(candidate))) return [];
      const first = candidate.replace(/^\.\.\//, "").split("/")[0] as string;
      if (candidate.includes("/")) {
        return topLevel.has(first) || besideDoc.has(first) ? [{ path: candidate, bare: false }] : [];
      }
      return /^[\w-][\w.-]*\.(ts|js|json|md|yml|yaml)$/.test(candidate)
        ? [{ path: candidate, bare: true }]
        : [];
    });
}

test("every file path the docs name exists (from the repository root, or beside the doc)", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const doc of docs) {
    const text = readFileSync(new URL(doc, root), "utf8");
    const folder = doc.includes("/") ? doc.slice(0, doc.lastIndexOf("/") + 1) : "";
    for (const { path, bare } of pathsIn(text, folder)) {
      checked += 1;
      const found = bare
        ? files.some((file) => file === path || file.endsWith(`/${path}`))
        : existsSync(new URL(path, root)) || existsSync(new URL(`${folder}${path}`, root));
      if (!found) missing.push(`${doc}: ${path}`);
    }
  }
  assert.deepEqual(missing, []);
  assert.ok(checked > 50, `only ${checked} paths found: the extraction is broken`);
});

test("every `npm run <script>` the docs name is a script of package.json", () => {
  const missing: string[] = [];
  for (const doc of docs) {
    const text = readFileSync(new URL(doc, root), "utf8");
    for (const [, script] of text.matchAll(/npm run (?:-\S+ )*([\w:-]+)/g)) {
      if (!scripts.includes(script as string)) missing.push(`${doc}: npm run ${script}`);
    }
  }
  assert.deepEqual(missing, []);
});
