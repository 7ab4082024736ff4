import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { ParleyError } from '../core/errors.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Drizzle over either backend: PGlite and node-postgres share the PostgreSQL dialect. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Optional extensions: code that wants them checks here and falls back when absent. */
  capabilities: { vector: boolean; trigram: boolean };
  close(): Promise<void>;
}

export type DatabaseLocation =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  /** In-memory PGlite, optionally started from a dump (tests copy a migrated template this way). */
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
// Any fixed number works; it only has to be the same in every Parley process.
const MIGRATION_LOCK_ID = 7_171_706;

/** Opens the database, installs the extensions it can, and applies pending migrations. */
export async function openDatabase(location: DatabaseLocation): Promise<DatabaseHandle> {
  const handle =
    location.kind === 'postgres' ? await openPostgres(location) : await openPglite(location);
  return handle;
}

async function openPglite(
  location: Extract<DatabaseLocation, { kind: 'pglite' | 'pglite-memory' }>,
): Promise<DatabaseHandle> {
  if (location.kind === 'pglite') await mkdir(location.dataDir, { recursive: true });
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(location.kind === 'pglite' ? { dataDir: location.dataDir } : {}),
      ...(location.kind === 'pglite-memory' && location.loadDataDir
        ? { loadDataDir: location.loadDataDir }
        : {}),
      extensions: { vector, pg_trgm },
    });
  } catch (error) {
    const where = location.kind === 'pglite' ? ` in ${location.dataDir}` : '';
    throw new ParleyError(
      'database_unavailable',
      `Could not open the embedded database${where}. If another Parley process is using this data folder, stop it; if the folder is damaged, move it aside and start again (a new demo business is created).`,
      { cause: error },
    );
  }
  await client.exec(
    'CREATE EXTENSION IF NOT EXISTS vector; CREATE EXTENSION IF NOT EXISTS pg_trgm;',
  );
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db,
    kind: 'pglite',
    capabilities: { vector: true, trigram: true },
    close: () => client.close(),
  };
}

async function openPostgres(
  location: Extract<DatabaseLocation, { kind: 'postgres' }>,
): Promise<DatabaseHandle> {
  const migrationClient = new pg.Client({ connectionString: location.url });
  try {
    await migrationClient.connect();
  } catch (error) {
    throw new ParleyError(
      'database_unavailable',
      `Could not connect to PostgreSQL at ${redactUrl(location.url)}: ${(error as Error).message}. Check DATABASE_URL and that the server is running, or unset DATABASE_URL to use the embedded database.`,
      { cause: error },
    );
  }
  let capabilities: DatabaseHandle['capabilities'];
  try {
    // Several Parley processes may start at once: one migrates, the others wait for it.
    await migrationClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    capabilities = {
      vector: await tryCreateExtension(migrationClient, 'vector'),
      trigram: await tryCreateExtension(migrationClient, 'pg_trgm'),
    };
    await migrateNodePg(drizzleNodePg(migrationClient), { migrationsFolder: MIGRATIONS_FOLDER });
    await migrationClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
  } finally {
    await migrationClient.end();
  }
  const pool = new pg.Pool({
    connectionString: location.url,
    max: location.poolSize ?? 10,
    // Searches take the first matches a scan meets for a common word (knowledge tiers, catalog
    // candidates). With synchronized scans, a sequential scan of a table larger than a quarter of
    // shared_buffers starts wherever another one is, so the same question could rank different
    // passages from one run to the next; off, the same data always gives the same answer.
    options: '-c synchronize_seqscans=off',
  });
  // An idle client whose connection the server drops (restart, failover, admin kill) makes the
  // pool emit 'error'; unheard, that would crash the process. The pool discards that client and
  // the next query connects afresh, so there is nothing else to do here.
  pool.on('error', () => {});
  const db = drizzleNodePg(pool, { schema }) as unknown as Database;
  await db.execute(sql`SELECT 1`);
  return { db, kind: 'postgres', capabilities, close: () => pool.end() };
}

async function tryCreateExtension(client: pg.Client, name: string): Promise<boolean> {
  try {
    await client.query(`CREATE EXTENSION IF NOT EXISTS ${name}`);
    return true;
  } catch {
    // Not installed on this server (Debian's PostgreSQL ships no pgvector): features fall back.
    return false;
  }
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
