import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/store/database.js';
import { inject } from 'vitest';

export type Backend = 'pglite' | 'postgres';

/** PGlite always; the PostgreSQL server too when DATABASE_URL is set (as CI sets it). */
export const backends: Backend[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase extends DatabaseHandle {
  /** Closes the connection and drops what was created for this test file. */
  destroy(): Promise<void>;
  /** A connection URL for the database (postgres only), so a second process can share it. */
  url: string | null;
}

/**
 * A fresh, migrated database: PGlite loaded from the migrated template dump that the global setup
 * made (half a second instead of a fresh initdb), or a new PostgreSQL database copied from the
 * migrated template database.
 */
export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const dump = new Blob([await readFile(inject('pgliteTemplateFile'))]);
    const handle = await openDatabase({ kind: 'pglite-memory', loadDataDir: dump });
    return { ...handle, url: null, destroy: () => handle.close() };
  }
  const serverUrl = requireDatabaseUrl();
  const template = inject('postgresTemplateDatabase');
  if (!template) throw new Error('no PostgreSQL template: DATABASE_URL was not set for this run');
  // Named after the run's template, so the run's teardown finds whatever a crash left behind.
  const name = `${template.replace(/_template$/, '')}_${randomBytes(6).toString('hex')}`;
  await withAdminClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`),
  );
  const url = databaseUrlFor(serverUrl, name);
  const handle = await openDatabase({ kind: 'postgres', url, poolSize: 20 });
  return {
    ...handle,
    url,
    async destroy() {
      await handle.close();
      await withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(
  serverUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
