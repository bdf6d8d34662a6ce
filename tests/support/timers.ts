// The delays of the timers a module schedules, read from the setTimeout calls themselves: a test checks
// when the code under test chose to act (on the harness's clock, which stands still), never how long a
// busy machine took to get there.
import { createRequire, syncBuiltinESMExports } from "node:module";
import type { TestContext } from "node:test";

const require = createRequire(import.meta.url);
const timers = require("node:timers") as typeof import("node:timers");
const timersPromises = require("node:timers/promises") as typeof import("node:timers/promises");

/**
 * Records the delay of every setTimeout called from a file whose path contains `from` (by the calling
 * stack frame), until the test ends: the global one, node:timers' (which @middy/core imports) and
 * node:timers/promises' (the use case's backoff). The timers run as usual.
 */
export function timerDelays(t: TestContext, from: string): number[] {
  const delays: number[] = [];
  const original = {
    global: globalThis.setTimeout,
    timers: timers.setTimeout,
    promises: timersPromises.setTimeout,
  };
  const recording = (which: typeof setTimeout) =>
    Object.assign((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      if (new Error().stack?.split("\n")[2]?.includes(from)) delays.push(ms ?? 0);
      return which(handler, ms, ...args);
    }, which) as typeof setTimeout;
  globalThis.setTimeout = recording(original.global);
  timers.setTimeout = recording(original.timers);
  timersPromises.setTimeout = ((ms?: number, ...rest: unknown[]) => {
    if (new Error().stack?.split("\n")[2]?.includes(from)) delays.push(ms ?? 0);
    return (original.promises as (...args: unknown[]) => Promise<unknown>)(ms, ...rest);
  }) as typeof timersPromises.setTimeout;
  syncBuiltinESMExports(); // `import { setTimeout } from "node:timers"` bindings see the recorder
  t.after(() => {
    globalThis.setTimeout = original.global;
    timers.setTimeout = original.timers;
    timersPromises.setTimeout = original.promises;
    syncBuiltinESMExports();
  });
  return delays;
}

/**
 * A fake clock for the timers a module schedules (by the calling stack frame, as timerDelays): they never
 * fire on their own, only when the test calls `fire()`, once what the test waits for has happened. Their
 * delays are recorded; a timer the code cleared does not fire.
 */
export function heldTimers(t: TestContext, from: string) {
  const delays: number[] = [];
  const pending = new Map<unknown, () => void>();
  const listeners: (() => void)[] = [];
  const original = {
    global: globalThis.setTimeout,
    timers: timers.setTimeout,
    clearGlobal: globalThis.clearTimeout,
    clearTimers: timers.clearTimeout,
  };
  const holding = (which: typeof setTimeout) =>
    Object.assign((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      if (!new Error().stack?.split("\n")[2]?.includes(from)) return which(handler, ms, ...args);
      delays.push(ms ?? 0);
      const handle = which(() => {}, 2 ** 31 - 1); // a real handle for clearTimeout, never due
      handle.unref();
      pending.set(handle, () => handler(...args));
      for (const listener of listeners.splice(0)) listener();
      return handle;
    }, which) as typeof setTimeout;
  const clearing = (which: typeof clearTimeout) =>
    ((handle: Parameters<typeof clearTimeout>[0]) => {
      pending.delete(handle);
      which(handle);
    }) as typeof clearTimeout;
  globalThis.setTimeout = holding(original.global);
  timers.setTimeout = holding(original.timers);
  globalThis.clearTimeout = clearing(original.clearGlobal);
  timers.clearTimeout = clearing(original.clearTimers);
  syncBuiltinESMExports();
  t.after(() => {
    globalThis.setTimeout = original.global;
    timers.setTimeout = original.timers;
    globalThis.clearTimeout = original.clearGlobal;
    timers.clearTimeout = original.clearTimers;
    syncBuiltinESMExports();
  });
  return {
    delays,
    /** Resolves once at least one held timer is pending. */
    scheduled: () => new Promise<void>((resolve) => (pending.size > 0 ? resolve() : listeners.push(resolve))),
    /** Fires every pending held timer now. */
    fire() {
      const due = [...pending];
      pending.clear();
      for (const [handle, run] of due) {
        original.clearGlobal(handle as NodeJS.Timeout);
        run();
      }
    },
  };
}
