import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/database.js';
import { databaseUrlFor, withAdminClient } from './test-database.js';

const CACHE_DIR = fileURLToPath(new URL('../../.test-cache/', import.meta.url));
export const PGLITE_TEMPLATE_FILE = `${CACHE_DIR}pglite-template.tar`;
export const POSTGRES_TEMPLATE_DATABASE = 'parley_test_template';

/**
 * Runs once per `vitest run`: migrates one PGlite database and dumps it, and (with DATABASE_URL)
 * migrates a PostgreSQL template database. Every test file then starts from a copy of these.
 */
export default async function setup(): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  const pglite = await openDatabase({ kind: 'pglite-memory' });
  const client = (pglite.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } })
    .$client;
  const dump = await client.dumpDataDir('none');
  await writeFile(PGLITE_TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();

  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return;
  await withAdminClient(serverUrl, async (admin) => {
    // Old test databases of a crashed run are dropped first (a template may have no connections).
    const stale = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'parley_test_%'",
    );
    for (const { datname } of stale.rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${POSTGRES_TEMPLATE_DATABASE}`);
  });
  const template = await openDatabase({
    kind: 'postgres',
    url: databaseUrlFor(serverUrl, POSTGRES_TEMPLATE_DATABASE),
  });
  await template.close();
}
