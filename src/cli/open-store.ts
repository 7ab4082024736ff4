import type { ServerSettings } from '../config/server-settings.js';
import type { Store } from '../core/store.js';
import { openDatabase, type DatabaseHandle } from '../store/database.js';
import { createDrizzleStore } from '../store/drizzle-store.js';

/** Opens the configured database (migrating it) for a one-off command. */
export async function openStore(
  settings: ServerSettings,
): Promise<{ store: Store; database: DatabaseHandle }> {
  const database = await openDatabase(
    settings.databaseUrl
      ? { kind: 'postgres', url: settings.databaseUrl, poolSize: 2 }
      : { kind: 'pglite', dataDir: `${settings.dataDir}/pglite` },
  );
  return { store: createDrizzleStore(database.db), database };
}
