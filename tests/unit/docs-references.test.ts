// The docs name only what exists and say what is so: every file path in backticks or in a relative link
// in README.md and docs/*.md, every `npm run <script>`, every command of their sh blocks, and the
// defaults they quote. A rename or a new default that forgets a doc fails here.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { DEFAULT_LANGUAGE } from "../../lib/i18n/messages.ts";
import { DEV_LOG_MODES } from "../../scripts/dev-log.ts";
import { DEFAULT_DEV_PORT } from "../../scripts/dev-registry.ts";
import { simpleCommands } from "../support/shell-words.ts";

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

// Commands in the docs' ```sh blocks, and inline ones with options, run as printed: an npm script that
// exists, a file of the repository, a tool of node_modules/.bin through npx (a bare `osls` is "command
// not found" on most machines), or a tool the reader's machine brings.
const bins = new Set(readdirSync(new URL("node_modules/.bin/", root)));
/** What a reader's shell has without this repository: builtins, keywords and the system tools named. */
const SHELL = new Set([
  "cd",
  "read",
  "export",
  "unset",
  "wait",
  "while",
  "do",
  "done",
  "if",
  "then",
  "fi",
  "echo",
  "printf",
]);
const KEYWORDS = new Set(["while", "do", "done", "if", "then", "fi"]);
const SYSTEM = new Set([
  "curl",
  "aws",
  "jq",
  "git",
  "grep",
  "cut",
  "wc",
  "rm",
  "ls",
  "unzip",
  "tar",
  "cmp",
  "sha256sum",
]);
const NPM = new Set(["install", "ci", "test", "run"]);

/** Why `words` (one simple command) would not run as printed, or undefined. */
function unrunnable(words: string[], functions: Set<string>): string | undefined {
  const rest = words.filter((word) => !/^\[.*\]$/.test(word)); // [optional] syntax
  while (rest[0] && /^[A-Za-z_]\w*=/.test(rest[0])) rest.shift(); // VAR=value prefixes
  while (rest[0] && KEYWORDS.has(rest[0])) rest.shift();
  const [command, ...args] = rest;
  if (command === undefined) return undefined;
  const operands = args.filter((arg) => !arg.startsWith("-"));
  if (command === "npm") {
    const [sub, script] = operands;
    if (!NPM.has(sub ?? "")) return `npm ${sub}: not an npm command the docs use`;
    if (sub === "run" && !scripts.includes(script ?? "")) return `npm run ${script}: no such script`;
  } else if (command === "npx") {
    if (!bins.has(operands[0] ?? "")) return `npx ${operands[0]}: not in node_modules/.bin`;
  } else if (bins.has(command) && !SYSTEM.has(command)) {
    return `${command}: a tool of node_modules/.bin, run it as npx ${command} (or through npm run)`;
  } else if (command.includes("/")) {
    if (!existsSync(new URL(command, root))) return `${command}: no such file`;
  } else if (!SHELL.has(command) && !SYSTEM.has(command) && !functions.has(command)) {
    return `${command}: neither a script, a file, npx, nor a known system tool`;
  }
  for (const arg of args) {
    const path = arg.replace(/^--[\w-]+=/, "");
    const first = path.split("/")[0] as string;
    if (path.includes("/") && topLevel.has(first) && /^[\w.][\w./-]*$/.test(path)) {
      if (!MADE_ELSEWHERE.some((pattern) => pattern.test(path)) && !existsSync(new URL(path, root))) {
        return `${path}: no such file`;
      }
    }
  }
  return undefined;
}

test("every command in the docs' sh blocks names a script, a file or a binary that exists (npx where needed)", () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const doc of docs) {
    const text = readFileSync(new URL(doc, root), "utf8");
    for (const [, block = ""] of text.matchAll(/^ *```(?:sh|bash)\n([\s\S]*?)^ *```/gm)) {
      const functions = new Set([...block.matchAll(/(\w+)\(\) \{/g)].map((match) => match[1] as string));
      for (const words of simpleCommands(block)) {
        checked += 1;
        const why = unrunnable(words, functions);
        if (why) wrong.push(`${doc}: ${words.join(" ")} — ${why}`);
      }
    }
    // Inline: `osls invoke local -f accept ...` reads as an instruction, and must run as printed too.
    for (const [, span = ""] of text.matchAll(/`([a-z][\w-]* [^`]* -[^`]*)`/g)) {
      const [words] = simpleCommands(span);
      const why = words && bins.has(words[0] as string) ? unrunnable(words, new Set()) : undefined;
      if (why) wrong.push(`${doc}: \`${span}\` — ${why}`);
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 40, `only ${checked} commands found: the extraction is broken`);
});

// The defaults the docs quote are the code's: read from where the code sets them, compared with every
// table's "default" column and with the sentences below, so that a changed default fails until its docs say it.
function codeDefaults(): Map<string, string | number> {
  const defaults = new Map<string, string | number>();
  const read = (path: string) => readFileSync(new URL(path, root), "utf8");
  for (const path of files.filter((file) => /^tests\/.*\.ts$/.test(file))) {
    for (const [, name, value] of read(path).matchAll(/\bruns\("(\w+)", ([\d_]+)\)/g)) {
      defaults.set(name as string, Number((value as string).replaceAll("_", "")));
    }
  }
  for (const [, name, value] of read("lib/config.ts").matchAll(/positiveInt\("(\w+)", (\d+)\)/g)) {
    defaults.set(name as string, Number(value));
  }
  const dev = read("scripts/dev.ts");
  defaults.set("TABLE_NAME", (dev.match(/env\("TABLE_NAME"\) \?\? "([^"]+)"/) as string[])[1] as string);
  defaults.set(
    "FIXTURE",
    (dev.match(/env\("FIXTURE"\) \?\? resolve\(root, "([^"]+)"\)/) as string[])[1] as string,
  );
  defaults.set("PORT", DEFAULT_DEV_PORT);
  defaults.set("SITE_LANGUAGE", DEFAULT_LANGUAGE);
  defaults.set("DEV_LOG", DEV_LOG_MODES[0]);
  return defaults;
}
const defaults = codeDefaults();
/** `npm run test:deep`'s sizes, from package.json. */
const deep = new Map(
  [
    ...(
      JSON.parse(readFileSync(new URL("package.json", root), "utf8")).scripts["test:deep"] as string
    ).matchAll(/(\w+)=(\d+)/g),
  ].map(([, name, value]) => [name as string, Number(value)]),
);
/** The numbers of a text: 2,000 is one number, "500, 10" two. */
const numbers = (text: string) =>
  [...text.matchAll(/\d{1,3}(?:,\d{3})+|\d+/g)].map(([n]) => Number(n.replaceAll(",", "")));

test("the defaults in the docs' tables are the code's", () => {
  assert.deepEqual(
    [...defaults.keys()].sort(),
    [
      "DEV_LOG",
      "FIXTURE",
      "FLASH_CUSTOMERS",
      "FLASH_UNITS",
      "FUZZ_BODIES",
      "FUZZ_HEADERS",
      "FUZZ_TEXTS",
      "FUZZ_WORLDS",
      "LOAD_ACCEPTS",
      "LOAD_CONCURRENCY",
      "PORT",
      "SETTINGS_TTL_SECONDS",
      "SITE_LANGUAGE",
      "TABLE_NAME",
    ],
    "the code's defaults were all found",
  );
  const wrong: string[] = [];
  let checked = 0;
  for (const doc of docs) {
    let column = -1;
    for (const line of readFileSync(new URL(doc, root), "utf8").split("\n")) {
      if (!line.startsWith("|")) {
        column = -1;
        continue;
      }
      const cells = line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
      if (column < 0) {
        column = cells.indexOf("default");
        continue;
      }
      const names = [...(cells[0] ?? "").matchAll(/`(\w+)`/g)].map(([, name]) => name as string);
      const cell = cells[column] ?? "";
      const said = numbers(cell.replace(/\([^)]*\)/g, ""));
      names.forEach((name, index) => {
        const value = defaults.get(name);
        if (value === undefined) return;
        checked += 1;
        const ok = typeof value === "number" ? said[index] === value : cell.includes(`\`${value}\``);
        if (!ok) wrong.push(`${doc}: ${name} is ${value} in the code, the table says ${cell}`);
        const deeper = cell.match(/`npm run test:deep`: ([\d,]+)/);
        if (deeper && numbers(deeper[1] as string)[0] !== deep.get(name)) {
          wrong.push(`${doc}: test:deep runs ${name}=${deep.get(name)}, the table says ${cell}`);
        }
      });
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked >= 15, `only ${checked} defaults found in tables`);
});

/** Sentences that quote defaults, and what each {n} in them must be (a space matches any spacing). */
const CLAIMS: { doc: string; says: string; are: (string | number | undefined)[] }[] = [
  {
    doc: "docs/accept.md",
    says: "{n} bodies ({n} in `npm run test:deep`)",
    are: [defaults.get("FUZZ_BODIES"), deep.get("FUZZ_BODIES")],
  },
  {
    doc: "docs/accept.md",
    says: "{n} shops ({n} in `npm run test:deep`)",
    are: [defaults.get("FUZZ_WORLDS"), deep.get("FUZZ_WORLDS")],
  },
  { doc: "docs/accept.md", says: "and {n} header/cookie/token sets", are: [defaults.get("FUZZ_HEADERS")] },
  { doc: "docs/accept.md", says: "{n} texts (`FUZZ_TEXTS`)", are: [defaults.get("FUZZ_TEXTS")] },
  {
    doc: "docs/accept.md",
    says: "{n} accepts of distinct quotations, {n} at a time",
    are: [defaults.get("LOAD_ACCEPTS"), defaults.get("LOAD_CONCURRENCY")],
  },
  {
    doc: "docs/accept.md",
    says: "{n} customers, each from a new container, racing for a coupon limited to {n}",
    are: [defaults.get("FLASH_CUSTOMERS"), defaults.get("FLASH_UNITS")],
  },
  {
    doc: "docs/accept.md",
    says: "`SETTINGS_TTL_SECONDS` (default {n})",
    are: [defaults.get("SETTINGS_TTL_SECONDS")],
  },
  {
    doc: "docs/operations.md",
    says: "`SETTINGS_TTL_SECONDS` (Settings cache per container, {n})",
    are: [defaults.get("SETTINGS_TTL_SECONDS")],
  },
  {
    doc: "docs/testing.md",
    says: "{n} bodies and {n} worlds per run",
    are: [defaults.get("FUZZ_BODIES"), defaults.get("FUZZ_WORLDS")],
  },
  {
    doc: "docs/testing.md",
    says: "({n} bodies, {n} worlds)",
    are: [deep.get("FUZZ_BODIES"), deep.get("FUZZ_WORLDS")],
  },
  {
    doc: "README.md",
    says: "({n} bodies, {n} worlds)",
    are: [deep.get("FUZZ_BODIES"), deep.get("FUZZ_WORLDS")],
  },
  {
    doc: "docs/testing.md",
    says: "({n} of the default {n}; {n} of {n} in `npm run test:deep`)",
    are: [
      Math.ceil(Number(defaults.get("FUZZ_WORLDS")) / 10),
      defaults.get("FUZZ_WORLDS"),
      Math.ceil(Number(deep.get("FUZZ_WORLDS")) / 10),
      deep.get("FUZZ_WORLDS"),
    ],
  },
];

test("the defaults the docs' sentences quote are the code's", () => {
  const wrong: string[] = [];
  for (const { doc, says, are } of CLAIMS) {
    const pattern = says
      .split("{n}")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(/ /g, "\\s+"))
      .join("(\\d{1,3}(?:,\\d{3})+|\\d+)");
    const found = [...readFileSync(new URL(doc, root), "utf8").matchAll(new RegExp(pattern, "g"))];
    if (found.length === 0) wrong.push(`${doc}: no longer says "${says}": update the claim here`);
    for (const match of found) {
      const said = match.slice(1).map((n) => Number((n as string).replaceAll(",", "")));
      if (JSON.stringify(said) !== JSON.stringify(are))
        wrong.push(`${doc}: "${match[0]}" should say ${are.join(", ")}`);
    }
  }
  assert.deepEqual(wrong, []);
});
