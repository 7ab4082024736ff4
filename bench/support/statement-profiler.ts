import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface StatementTally {
  /** What the statement does, e.g. `update conversations set turn_lease_until…`. */
  label: string;
  count: number;
  /** Time from sending the statement to its result, summed (excludes waiting for a pool slot). */
  totalMs: number;
}

export interface StatementProfiler {
  reset(): void;
  tallies(): StatementTally[];
}

type Callback = (...results: unknown[]) => void;

/**
 * Counts and times every SQL statement at the driver (node-postgres `Client.query`, PGlite
 * `query`/`exec`/`transaction`), so a benchmark can say how many round trips a turn costs and
 * which ones. Installed once per process; costs a `performance.now()` and a map update per query.
 */
export function installStatementProfiler(): StatementProfiler {
  const tallies = new Map<string, StatementTally>();
  const labels = new Map<string, string>();
  const record = (sqlText: string, ms: number) => {
    let label = labels.get(sqlText);
    if (label === undefined) {
      label = labelStatement(sqlText);
      labels.set(sqlText, label);
    }
    const tally = tallies.get(label) ?? { label, count: 0, totalMs: 0 };
    tally.count++;
    tally.totalMs += ms;
    tallies.set(label, tally);
  };
  const timed = <T>(sqlText: string, run: () => T): T => {
    const started = performance.now();
    const result = run();
    if (result instanceof Promise) {
      return result.finally(() => record(sqlText, performance.now() - started)) as T;
    }
    return result;
  };

  const clientPrototype = pg.Client.prototype as unknown as {
    query: (...args: unknown[]) => unknown;
  };
  const clientQuery = clientPrototype.query;
  clientPrototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const sqlText =
      typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
    const last = args[args.length - 1];
    // pg-pool's `pool.query` calls `client.query(text, values, callback)`.
    if (typeof last === 'function') {
      const started = performance.now();
      const callback = last as Callback;
      args[args.length - 1] = (...results: unknown[]) => {
        record(sqlText, performance.now() - started);
        callback(...results);
      };
      return clientQuery.apply(this, args);
    }
    return timed(sqlText, () => clientQuery.apply(this, args));
  };

  type Queryable = {
    query: (sqlText: string, ...rest: unknown[]) => Promise<unknown>;
    exec: (sqlText: string, ...rest: unknown[]) => Promise<unknown>;
  };
  const pglitePrototype = PGlite.prototype as unknown as Queryable & {
    transaction: (work: (tx: Queryable) => Promise<unknown>) => Promise<unknown>;
  };
  const wrapQueryable = (target: Queryable, query: Queryable['query'], exec: Queryable['exec']) => {
    target.query = function (this: unknown, sqlText, ...rest) {
      return timed(sqlText, () => query.call(this, sqlText, ...rest));
    };
    target.exec = function (this: unknown, sqlText, ...rest) {
      return timed(sqlText, () => exec.call(this, sqlText, ...rest));
    };
  };
  const pgliteTransaction = pglitePrototype.transaction;
  wrapQueryable(pglitePrototype, pglitePrototype.query, pglitePrototype.exec);
  pglitePrototype.transaction = function (this: unknown, work) {
    // PGlite sends BEGIN and COMMIT itself, past `query`: counted here, not timed.
    record('BEGIN', 0);
    return pgliteTransaction
      .call(this, (tx) => {
        wrapQueryable(tx, tx.query.bind(tx), tx.exec.bind(tx));
        return work(tx);
      })
      .finally(() => record('COMMIT', 0));
  };

  return {
    reset: () => tallies.clear(),
    tallies: () => [...tallies.values()].sort((a, b) => b.count - a.count),
  };
}

/** `update conversations set turn_lease_until…`: table, verb, and the first column set. */
export function labelStatement(sqlText: string): string {
  const text = sqlText.replace(/\s+/g, ' ').trim().toLowerCase();
  const word = /^(begin|commit|rollback|savepoint|release)\b/.exec(text);
  if (word) return word[1]!.toUpperCase();
  const insert = /^insert into "?(\w+)"?/.exec(text);
  if (insert) return `insert ${insert[1]}`;
  const update = /^update "?(\w+)"? set "?(\w+)"?/.exec(text);
  if (update) return `update ${update[1]} set ${update[2]}…`;
  const remove = /^delete from "?(\w+)"?/.exec(text);
  if (remove) return `delete ${remove[1]}`;
  const select = /^select .*? from "?(\w+)"?/.exec(text);
  if (select) return `select ${select[1]}${/ for update\b/.test(text) ? ' for update' : ''}`;
  return text.slice(0, 40);
}
