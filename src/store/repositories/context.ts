import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Database } from '../database.js';

/** What every repository is built from: a database (or transaction) and the injectable seams. */
export interface RepositoryContext {
  db: Database;
  ids: IdGenerator;
  clock: Clock;
}
