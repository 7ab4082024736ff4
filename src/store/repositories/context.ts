import type { SQL } from 'drizzle-orm';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Database } from '../database.js';

/** What every repository is built from: a database (or transaction) and the injectable seams. */
export interface RepositoryContext {
  db: Database;
  ids: IdGenerator;
  clock: Clock;
}

/** The rows of a raw SQL statement, on PGlite and node-postgres alike. */
export async function queryRows<Row extends Record<string, unknown>>(
  { db }: RepositoryContext,
  query: SQL,
): Promise<Row[]> {
  const result = await db.execute<Row>(query);
  return (result as { rows: Row[] }).rows;
}
