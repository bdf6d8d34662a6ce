// The Settings item, cached per container for a short, configurable time (it changes rarely).
import { defaultSettings, type Settings } from "../domain/entities.ts";
import type { Db } from "./db.ts";
import { readSettings } from "./reads.ts";

export function cachedSettings(
  db: Db,
  ttlSeconds: number,
  clock = () => Date.now(),
): () => Promise<Settings> {
  let cached: { value: Promise<Settings>; expiresAt: number } | undefined;
  return () => {
    if (!cached || clock() >= cached.expiresAt) {
      const value = readSettings(db).then((settings) => settings ?? defaultSettings);
      // A failed read is not cached: the next request tries again.
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
      cached = { value, expiresAt: clock() + ttlSeconds * 1000 };
    }
    return cached.value;
  };
}
