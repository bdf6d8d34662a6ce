// node:test reporter for `npm test` and `npm run test:unit`: node's own spec output, unchanged (each
// test, its output, the closing `ℹ tests / ℹ pass / ℹ fail` lines and the failures), with one table
// before the closing lines: each file's passed/total tests and its duration in seconds.
import { relative, resolve } from "node:path";
import { spec } from "node:test/reporters";

interface Event {
  type: string;
  data?: {
    file?: string;
    name?: string;
    nesting?: number;
    message?: string;
    counts?: { tests: number; passed: number; failed: number; cancelled: number; skipped: number };
    details?: { duration_ms?: number };
  };
}

interface FileResult {
  tests?: number;
  passed?: number;
  failed?: number;
  seconds?: number;
  /** The file itself failed (did not load, crashed, or timed out). */
  broken?: boolean;
}

function table(files: Map<string, FileResult>): string {
  const rows = [...files].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(0, ...rows.map(([file]) => file.length));
  const lines = rows.map(([file, result]) => {
    const ok = !result.broken && (result.failed ?? 0) === 0 && result.tests !== undefined;
    const counts = result.tests === undefined ? "did not finish" : `${result.passed}/${result.tests} passed`;
    const seconds = result.seconds === undefined ? "" : `${result.seconds.toFixed(1).padStart(6)} s`;
    return `${ok ? "✔" : "✖"} ${file.padEnd(width)}  ${counts.padEnd(14)} ${seconds}`;
  });
  return `\nper file (tests passed, seconds):\n${lines.join("\n")}\n\n`;
}

export default async function* reporter(source: AsyncIterable<Event>): AsyncGenerator<string> {
  const output = new spec();
  const chunks: string[] = [];
  output.on("data", (chunk: unknown) => chunks.push(String(chunk)));
  const files = new Map<string, FileResult>();
  const of = (file: string) => {
    const name = relative(process.cwd(), file);
    const result = files.get(name) ?? {};
    files.set(name, result);
    return result;
  };
  let tabled = false;

  for await (const event of source) {
    const { file, name, nesting, counts } = event.data ?? {};
    if (event.type === "test:summary" && file && counts) {
      Object.assign(of(file), { tests: counts.tests, passed: counts.passed, failed: counts.failed });
    } else if (
      (event.type === "test:complete" || event.type === "test:fail") &&
      file &&
      nesting === 0 &&
      name !== undefined &&
      resolve(name) === resolve(file)
    ) {
      // The file's own entry (its subprocess), as opposed to a test in it.
      const result = of(file);
      result.seconds = (event.data?.details?.duration_ms ?? 0) / 1000;
      if (event.type === "test:fail") result.broken = true;
    } else if (
      event.type === "test:diagnostic" &&
      !file &&
      !tabled &&
      /^tests \d+$/.test(event.data?.message ?? "")
    ) {
      // The run's closing counts begin: the table goes just before them, so they stay the last lines.
      tabled = true;
      yield table(files);
    }
    output.write(event);
    await new Promise((resolve) => setImmediate(resolve)); // let node's spec reporter write it
    if (chunks.length > 0) yield chunks.splice(0).join("");
  }
  output.end();
  await new Promise((resolve) => output.on("end", resolve));
  if (chunks.length > 0) yield chunks.splice(0).join("");
}
