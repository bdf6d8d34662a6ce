// How a fixture's first schema issue reads: where (entity, index, field) and what is wrong. An unknown
// top-level key lists the keys there are, since a misspelt list name ("products") is the usual cause.
import * as v from "valibot";

export function describeFixtureIssue(issue: v.BaseIssue<unknown> | undefined, keys: string[]): string {
  const path = issue ? v.getDotPath(issue) : null;
  const where = path ? `fixture ${path.replace(/\.(\d+)/g, "[$1]")}` : "fixture";
  if (issue?.type === "strict_object" && issue.path?.length === 1) {
    return `${where}: unknown key; a fixture's keys are ${keys.join(", ")}`;
  }
  return `${where}: ${issue?.message ?? "invalid"}`;
}
