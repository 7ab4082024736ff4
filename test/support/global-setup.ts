import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/database.js';
import { databaseUrlFor, withAdminClient } from './test-database.js';

const CACHE_DIR = fileURLToPath(new URL('../../.test-cache/', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated PGlite dump every test file starts from. */
    pgliteTemplateFile: string;
    /** This run's migrated PostgreSQL template database (null without DATABASE_URL). */
    postgresTemplateDatabase: string | null;
  }
}

/**
 * Runs once per `vitest run`: migrates one PGlite database and dumps it, and (with DATABASE_URL)
 * migrates a PostgreSQL template database. Every test file then starts from a copy of these. Names
 * carry a per-run id, so two runs on one server (two developers, CI and a benchmark) never touch
 * each other's databases.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = randomBytes(4).toString('hex');
  await mkdir(CACHE_DIR, { recursive: true });
  const pgliteTemplateFile = `${CACHE_DIR}pglite-template-${runId}.tar`;
  const pglite = await openDatabase({ kind: 'pglite-memory' });
  const client = (pglite.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } })
    .$client;
  const dump = await client.dumpDataDir('none');
  await writeFile(pgliteTemplateFile, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplateFile', pgliteTemplateFile);

  const serverUrl = process.env.DATABASE_URL;
  const templateDatabase = serverUrl ? `parley_test_${runId}_template` : null;
  project.provide('postgresTemplateDatabase', templateDatabase);
  if (serverUrl && templateDatabase) {
    await withAdminClient(serverUrl, (admin) => admin.query(`CREATE DATABASE ${templateDatabase}`));
    const template = await openDatabase({
      kind: 'postgres',
      url: databaseUrlFor(serverUrl, templateDatabase),
    });
    await template.close();
  }

  return async () => {
    const { rm } = await import('node:fs/promises');
    await rm(pgliteTemplateFile, { force: true });
    if (!serverUrl) return;
    await withAdminClient(serverUrl, async (admin) => {
      const leftovers = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'parley_test_${runId}_%'`,
      );
      for (const { datname } of leftovers.rows) {
        await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
    });
  };
}
