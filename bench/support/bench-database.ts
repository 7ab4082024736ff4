import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type DatabaseHandle } from '../../src/store/database.js';
import { databaseUrlFor, withAdminClient } from '../../test/support/test-database.js';
import { onCleanup } from './cleanup.js';

export type Backend = 'pglite' | 'postgres';

/** A scratch folder under the system's temporary directory, removed at the end of the run. */
export async function createScratchFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  onCleanup(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

/** An empty PostgreSQL database of its own, dropped at the end of the run (or on Ctrl-C). */
export async function createPostgresDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `parley_bench_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const drop = onCleanup(() => dropDatabase(serverUrl, name));
  return { url: databaseUrlFor(serverUrl, name), drop };
}

/**
 * A closed pool's connections can outlive `pool.end()` by a moment; FORCE would kill them and
 * their late error would crash the run. So the plain DROP is retried first, FORCE is the last resort
 * (after Ctrl-C, when connections may really still be open).
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
        return;
      } catch (error) {
        // 55006: object_in_use, "database is being accessed by other users".
        if ((error as { code?: string }).code !== '55006') throw error;
        await sleep(100);
      }
    }
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

export interface BenchDatabase {
  handle: DatabaseHandle;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database as production opens it: PGlite in a data folder on disk (what
 * `npm start` uses), or a new PostgreSQL database with the default pool of 10 connections.
 */
export async function openBenchDatabase(
  backend: Backend,
  serverUrl: string | null,
): Promise<BenchDatabase> {
  if (backend === 'pglite') {
    const folder = await createScratchFolder('parley-bench-');
    const handle = await openDatabase({ kind: 'pglite', dataDir: join(folder, 'pglite') });
    const close = onCleanup(() => handle.close());
    return { handle, close };
  }
  if (!serverUrl) throw new Error('PostgreSQL benchmarks need DATABASE_URL');
  const database = await createPostgresDatabase(serverUrl);
  const handle = await openDatabase({ kind: 'postgres', url: database.url });
  const closeHandle = onCleanup(() => handle.close());
  return {
    handle,
    async close() {
      await closeHandle();
      await database.drop();
    },
  };
}
