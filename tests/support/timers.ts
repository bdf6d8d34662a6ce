// The delays of the timers a module schedules, read from the setTimeout calls themselves: a test checks
// when the code under test chose to act (on the harness's clock, which stands still), never how long a
// busy machine took to get there.
import { createRequire, syncBuiltinESMExports } from "node:module";
import type { TestContext } from "node:test";

const timers = createRequire(import.meta.url)("node:timers") as typeof import("node:timers");

/**
 * Records the delay of every setTimeout called from a file whose path contains `from` (by the calling
 * stack frame), until the test ends: the global one and node:timers' (which @middy/core imports). The
 * timers run as usual.
 */
export function timerDelays(t: TestContext, from: string): number[] {
  const delays: number[] = [];
  const original = { global: globalThis.setTimeout, timers: timers.setTimeout };
  const recording = (which: typeof setTimeout) =>
    Object.assign((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      if (new Error().stack?.split("\n")[2]?.includes(from)) delays.push(ms ?? 0);
      return which(handler, ms, ...args);
    }, which) as typeof setTimeout;
  globalThis.setTimeout = recording(original.global);
  timers.setTimeout = recording(original.timers);
  syncBuiltinESMExports(); // `import { setTimeout } from "node:timers"` bindings see the recorder
  t.after(() => {
    globalThis.setTimeout = original.global;
    timers.setTimeout = original.timers;
    syncBuiltinESMExports();
  });
  return delays;
}
