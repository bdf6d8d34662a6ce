// The JSON lines (Powertools logs, EMF metrics blobs) a piece of work writes to stdout and stderr,
// captured instead of printed. Tests that read them turn logs and metrics on before importing the
// handler's factory (POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_DISABLED), as tests/observability.test.ts does.
import assert from "node:assert/strict";

export type Line = Record<string, unknown>;

/**
 * Runs `work`, keeping every JSON line it writes; other output passes through. `written` is all it wrote,
 * JSON or not, each write as it was: what a test searches for text that must never be printed.
 */
export async function captureLines<T>(
  work: () => Promise<T>,
): Promise<{ result: T; lines: Line[]; written: string[] }> {
  const lines: Line[] = [];
  const written: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const write = writes[index] as typeof stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      written.push(text);
      if (!text.startsWith("{"))
        return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      for (const part of text.split("\n").filter(Boolean)) lines.push(JSON.parse(part) as Line);
      return true;
    }) as typeof stream.write;
  });
  try {
    return { result: await work(), lines, written };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = writes[index] as typeof stream.write;
    });
  }
}

/** The request's one summary line (lib/http/observe.ts). */
export function requestLine(lines: Line[]): Line {
  const found = lines.filter((line) => line.message === "request");
  assert.equal(found.length, 1, "one request line");
  return found[0] as Line;
}

/** A metric's value in the request's one EMF blob. */
export function metric(lines: Line[], name: string): unknown {
  const blobs = lines.filter((line) => "_aws" in line);
  assert.equal(blobs.length, 1, "one metrics blob");
  return blobs[0]?.[name];
}
