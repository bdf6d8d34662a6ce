// Seeds for the generated-input suites (fast-check): every run prints its seed before it starts, the
// seeds and counterexamples found so far run first, and FUZZ_SEED/FUZZ_PATH replay a reported failure.
import fc, { type Parameters as FcParameters } from "fast-check";

/**
 * The seeds that once found a failure, by suite: they run before the random seed on every run, so that a
 * counterexample found once is checked for good (docs/testing.md). A seed replays its run only while
 * the suite's generators stay as they were; a counterexample worth keeping beyond that is also written
 * out as an explicit example in its suite.
 */
export const KNOWN_SEEDS: Record<string, readonly number[]> = {
  "generated-worlds": [702941486, 1569827374, -1761153115],
  "generated-tokens": [2012688839],
};

/** A seed for this run: FUZZ_SEED when set (a replay), else a fresh random 32-bit one. */
function runSeed(): { seed: number; replay: boolean } {
  const seed = Number(process.env.FUZZ_SEED);
  if (process.env.FUZZ_SEED && Number.isSafeInteger(seed)) return { seed, replay: true };
  return { seed: (Math.random() * 2 ** 32) | 0, replay: false };
}

/**
 * fast-check parameters for one run of `suite`, with its seed chosen here and printed before the run
 * starts (so that even a run that hangs or crashes can be replayed): FUZZ_SEED and FUZZ_PATH replay a
 * reported failure. A failure also prints its seed, path and shrunk counterexample.
 */
export function fcParameters<T>(
  suite: string,
  numRuns: number,
  extra: FcParameters<T> = {},
): FcParameters<T> {
  const { seed, replay } = runSeed();
  const path = replay ? process.env.FUZZ_PATH : undefined;
  console.log(
    `${suite}: seed ${seed}${replay ? " (FUZZ_SEED)" : ""}, ${numRuns} runs; replay: FUZZ_SEED=${seed}${path ? ` FUZZ_PATH=${path}` : ""}`,
  );
  return { ...extra, numRuns, seed, ...(path ? { path } : {}) };
}

/**
 * Checks a property the suite's way: its explicit examples and KNOWN_SEEDS first, then a random seed;
 * with FUZZ_SEED set, that seed alone (and FUZZ_PATH, when set, the one case it names). A known seed
 * replays its first `knownSeedRuns` cases (default: the full `numRuns`), for suites whose cases are dear.
 */
export async function assertProperty<T>(
  suite: string,
  property: fc.IAsyncProperty<T> | fc.IProperty<T>,
  options: { numRuns: number; knownSeedRuns?: number; examples?: T[]; extra?: FcParameters<T> },
): Promise<void> {
  const extra = options.extra ?? {};
  if (!process.env.FUZZ_SEED) {
    if (options.examples?.length) {
      console.log(`${suite}: ${options.examples.length} known counterexamples first`);
      await fc.assert(property, { ...extra, numRuns: options.examples.length, examples: options.examples });
    }
    const knownRuns = Math.min(options.numRuns, options.knownSeedRuns ?? options.numRuns);
    for (const seed of KNOWN_SEEDS[suite] ?? []) {
      console.log(`${suite}: known seed ${seed}, ${knownRuns} runs`);
      await fc.assert(property, { ...extra, numRuns: knownRuns, seed });
    }
  }
  await fc.assert(property, fcParameters(suite, options.numRuns, extra));
}
