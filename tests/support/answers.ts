// Reading the endpoint's answers: the order of an accepted one, and many counted by kind.
import assert from "node:assert/strict";
import type { Answer } from "./shop.ts";

/** Asserts HTTP 200, code 0 and an empty msg; returns the order. */
export function assertAccepted(answer: Answer): Answer["data"] {
  assert.deepEqual([answer.status, answer.code, answer.msg], [200, 0, ""]);
  return answer.data;
}

/** Answers counted by kind, one short line: what a failure prints instead of hundreds of answers. */
export function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, code, msg } of answers) {
    const kind = code === 0 ? `${status} code 0` : `${status} code ${code} ${msg}`;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}
