// The Settings item, cached per container for a short, configurable time (it changes rarely).
import { defaultSettings, type Settings } from "../domain/entities.ts";
import type { Db } from "./db.ts";
import { readSettings } from "./reads.ts";

export interface SettingsLoader {
  (): Promise<Settings>;
  /** The last Settings this container read, however old, without any I/O (undefined before the first). */
  lastKnown(): Settings | undefined;
}

export function cachedSettings(db: Db, ttlSeconds: number, clock = () => Date.now()): SettingsLoader {
  let cached: { value: Promise<Settings>; expiresAt: number } | undefined;
  let lastKnown: Settings | undefined;
  const load = () => {
    if (!cached || clock() >= cached.expiresAt) {
      const value = readSettings(db).then((settings) => settings ?? defaultSettings());
      value.then(
        (settings) => {
          lastKnown = settings;
        },
        // A failed read is not cached: the next request tries again.
        () => {
          if (cached?.value === value) cached = undefined;
        },
      );
      cached = { value, expiresAt: clock() + ttlSeconds * 1000 };
    }
    return cached.value;
  };
  return Object.assign(load, { lastKnown: () => lastKnown });
}
