import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, openTestDatabase, type TestDatabase } from '../support/test-database.js';

// Knowledge and catalog searches take the first matches a scan meets for a common word. With
// synchronized sequential scans (PostgreSQL's default) a scan of a large table joins one already
// running, at whatever block it has reached, so the same question could get different passages.
// PGlite runs one statement at a time, so its scans never join one another.
describe.skipIf(!backends.includes('postgres'))(
  'the same search gives the same answer (postgres)',
  () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await openTestDatabase('postgres');
    });
    afterAll(async () => {
      await database?.destroy();
    });

    it('every pooled connection scans from the start of a table, not from where another scan is', async () => {
      // At once, so the pool opens several connections rather than reusing one.
      const settings = await Promise.all(
        Array.from({ length: 12 }, () =>
          database.db.execute<{ setting: string; pid: number }>(
            sql`SELECT current_setting('synchronize_seqscans') AS setting, pg_backend_pid() AS pid, pg_sleep(0.05)`,
          ),
        ),
      );
      const rows = settings.flatMap(
        (result) => (result as { rows: Array<{ setting: string; pid: number }> }).rows,
      );
      expect(new Set(rows.map((row) => row.pid)).size).toBeGreaterThan(1);
      expect(new Set(rows.map((row) => row.setting))).toEqual(new Set(['off']));
    });
  },
);
