// The Settings item, cached per container for a short, configurable time (it changes rarely).
import type { SettingsLoader } from "../accept/store.ts";
import { defaultSettings, type Settings } from "../domain/entities.ts";
import type { Db } from "./db.ts";
import { readSettings } from "./reads.ts";

export function cachedSettings(db: Db, ttlSeconds: number, clock = () => Date.now()): SettingsLoader {
  let cached: { value: Promise<Settings>; expiresAt: number } | undefined;
  let lastRead: { settings: Settings; expiresAt: number } | undefined;
  const load = () => {
    if (!cached || clock() >= cached.expiresAt) {
      const value = readSettings(db).then((settings) => settings ?? defaultSettings());
      const expiresAt = clock() + ttlSeconds * 1000;
      value.then(
        (settings) => {
          lastRead = { settings, expiresAt };
        },
        // A failed read is not cached: the next request tries again.
        () => {
          if (cached?.value === value) cached = undefined;
        },
      );
      cached = { value, expiresAt };
    }
    return cached.value;
  };
  const fresh = () => (lastRead && clock() < lastRead.expiresAt ? lastRead.settings : undefined);
  return Object.assign(load, { fresh });
}
