import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { syncBusinessConfig } from '../../src/config/sync-business-config.js';
import type { Business } from '../../src/core/business.js';
import type { Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { openTestDatabase, type Backend, type TestDatabase } from './test-database.js';

export interface DemoStore {
  database: TestDatabase;
  store: Store;
  /** The demo business, its file synced as `parley start --demo` does (catalog and FAQ too). */
  business: Business;
}

/** A fresh migrated database on `backend` holding the demo business, with a store over it. */
export async function openDemoStore(backend: Backend): Promise<DemoStore> {
  const database = await openTestDatabase(backend);
  const store = createDrizzleStore(database.db);
  const business = await syncBusinessConfig(store, await loadBusinessConfig(DEMO_CONFIG_PATH, {}));
  return { database, store, business };
}
