import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

// A GIN pending list is merged only by VACUUM (PGlite never runs one): until then every search
// scans it whole and the planner, costing that in, reads a word's rows off the table instead.
describe.each(backends)('full-text indexes searched by customers (%s)', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('keep no pending list, on products and on knowledge passages alike', async () => {
    const result = await database.db.execute<{ name: string; options: string[] | null }>(sql`
      SELECT i.relname AS name, i.reloptions AS options
      FROM pg_index x
      JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_am am ON am.oid = i.relam
      WHERE am.amname = 'gin' AND t.relname IN ('products', 'knowledge_passages')
        AND t.relnamespace = to_regnamespace(current_schema())
      ORDER BY i.relname`);
    const rows = (result as { rows: Array<{ name: string; options: string[] | null }> }).rows;
    expect(rows.map((row) => row.name)).toEqual([
      'knowledge_passages_search',
      'products_search',
      'products_search_trigram',
    ]);
    for (const row of rows) expect(row.options, row.name).toContain('fastupdate=false');
  });
});
