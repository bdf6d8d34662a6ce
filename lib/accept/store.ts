// What the accept use case needs from storage, as interfaces: the DynamoDB adapter (lib/store) implements
// them, and the layers above (the use case, the http middlewares) depend on these, never on the adapter.
import type { Settings } from "../domain/entities.ts";

/** The site's Settings, cached per container (lib/store/settings.ts). */
export interface SettingsLoader {
  (): Promise<Settings>;
  /**
   * The Settings this container read within the TTL, without any I/O; undefined before the first read
   * and once the last one is older than the TTL (an hours-old read must not outlive a change of site).
   */
  fresh(): Settings | undefined;
}
