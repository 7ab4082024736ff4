import { sql } from 'drizzle-orm';
import type { Database } from './database.js';

// Tables whose searches the planner must size right: which index, and whether a common word is
// better found by reading the table until enough rows match.
export type SearchedTable =
  'products' | 'product_variants' | 'catalog_words' | 'knowledge_passages';

/**
 * Runs ANALYZE on the tables that were never analysed or have grown by a fifth (in pages) since
 * they last were. PGlite has no autovacuum, so without this its planner works from defaults
 * forever: it intersects a word's index hits with an index matching every row of the business
 * and builds a bitmap of 35,000 passages to keep 200. PostgreSQL's autovacuum gets there too,
 * a minute or so after a large import; this gets there at once.
 */
export async function refreshStatistics(
  db: Database,
  tables: readonly SearchedTable[],
): Promise<void> {
  const result = await db.execute<{ name: string }>(sql`
    SELECT c.relname AS name FROM pg_class c
    WHERE c.relname IN (${sql.join(
      tables.map((table) => sql`${table}`),
      sql`, `,
    )})
      AND c.relnamespace = to_regnamespace(current_schema())
      AND (c.reltuples < 0
        OR pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2 + 8)`);
  for (const { name } of (result as { rows: Array<{ name: string }> }).rows) {
    // The names come from the fixed list above, never from input.
    await db.execute(sql.raw(`ANALYZE "${name}"`));
  }
}
