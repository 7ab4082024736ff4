import { sql, type SQL } from 'drizzle-orm';
import { products } from '../schema/index.js';

// The tiers' queries hold at most this many AND-groups in all (a tier of k words out of n holds
// C(n, k)): six scoring words are tiered all the way down, seven or more only their top tiers,
// and the rest are ranked as one remainder.
const TIER_GROUPS = 64;

/**
 * Full-text matches, ranked: any word may match (customers write sentences), and a product
 * holding more of the query's distinct words ranks first ("electric bike for commuting" puts the
 * electric commuter above the kids' bike that only says "bike"); `ts_rank` (always below 1)
 * orders products holding as many. A misspelt word counts as found when one of its corrections
 * is; a stop word is never found. Columns: `id`, `title`, `score` (words found + `ts_rank`).
 *
 * With two scoring words or more, products are taken tier by tier, most words first: the tier
 * of exactly k words is one GIN lookup of "any k of the words" (the index intersects the words'
 * entries, so a common word costs no row reads), and a tier is read only while the tiers above
 * it hold fewer than `limit` products. Only the products of the tiers read are ranked: a
 * sentence whose words each match a fifth of the catalog ranks a few dozen products, not the
 * thousands holding any of its words. The result is the same as ranking every match.
 */
export function fullTextCandidates(
  words: readonly string[],
  alternatives: ReadonlyMap<string, string[]>,
  stopWords: ReadonlySet<string>,
  where: SQL,
  limit: number,
): SQL {
  const scoring = words.filter((word) => !stopWords.has(word));
  const any = tsquery(scoring.length > 0 ? scoring : words, alternatives, 1);
  if (scoring.length < 2) {
    const coverage = sql.join(
      words.map((word) => sql`(p.search @@ ${tsquery([word], alternatives, 1)})::int`),
      sql` + `,
    );
    return sql`SELECT p.id, p.title, (${coverage}) + ts_rank(p.search, ${any}) AS score
      FROM ${products} p
      WHERE ${where} AND p.search @@ ${any}
      ORDER BY score DESC, p.title LIMIT ${limit}`;
  }
  const n = scoring.length;
  // The exact tiers, n words down to `lowest`; below it, one remainder ranked by coverage.
  let lowest = n;
  let groups = 1;
  while (lowest > 2 && groups + choose(n, lowest - 1) <= TIER_GROUPS) {
    lowest--;
    groups += choose(n, lowest);
  }
  const tiers: SQL[] = [];
  const names: string[] = [];
  const found = (): SQL =>
    names.length === 0
      ? sql`0`
      : sql.join(
          names.map((name) => sql`(SELECT count(*) FROM ${sql.raw(name)})`),
          sql` + `,
        );
  for (let k = n; k >= lowest; k--) {
    const name = `tier_${k}`;
    const above =
      k < n ? sql` AND NOT p.search @@ ${tsquery(scoring, alternatives, k + 1)}` : sql``;
    tiers.push(sql`${sql.raw(name)} AS (
      SELECT p.id, p.title, ${sql.raw(String(k))} + ts_rank(p.search, ${any}) AS score FROM ${products} p
      WHERE (${found()}) < ${limit} AND ${where}
        AND p.search @@ ${tsquery(scoring, alternatives, k)}${above}
      ORDER BY score DESC, p.title LIMIT ${limit})`);
    names.push(name);
  }
  const coverage =
    lowest === 2
      ? sql`1`
      : sql.join(
          scoring.map((word) => sql`(p.search @@ ${tsquery([word], alternatives, 1)})::int`),
          sql` + `,
        );
  tiers.push(sql`remainder AS (
      SELECT p.id, p.title, (${coverage}) + ts_rank(p.search, ${any}) AS score
      FROM ${products} p
      WHERE (${found()}) < ${limit} AND ${where}
        AND p.search @@ ${any}
        AND NOT p.search @@ ${tsquery(scoring, alternatives, lowest)}
      ORDER BY score DESC, p.title LIMIT ${limit})`);
  names.push('remainder');
  return sql`WITH ${sql.join(tiers, sql`, `)}
    SELECT id, title, score FROM (${sql.join(
      names.map((name) => sql`SELECT id, title, score FROM ${sql.raw(name)}`),
      sql` UNION ALL `,
    )}) AS tiers
    ORDER BY score DESC, title LIMIT ${limit}`;
}

/**
 * "Any `k` of the words", each word standing for itself or its corrections:
 * `('a' | 'b') & 'c' | ...` — k = 1 is any word, k = n all of them.
 */
function tsquery(
  words: readonly string[],
  alternatives: ReadonlyMap<string, string[]>,
  k: number,
): SQL {
  const terms = words.map((word) => {
    const lexemes = [word, ...(alternatives.get(word) ?? [])].map(toTsWord);
    return lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' | ')})`;
  });
  const groups = combinations(terms, k).map((group) => group.join(' & '));
  return sql`to_tsquery('english', ${groups.map((group) => (k > 1 ? `(${group})` : group)).join(' | ')})`;
}

function combinations<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [
    ...combinations(rest, k - 1).map((group) => [first!, ...group]),
    ...combinations(rest, k),
  ];
}

function choose(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

function toTsWord(word: string): string {
  // A quoted lexeme is taken literally by to_tsquery; the words hold no quotes (see wordsOf).
  return `'${word}'`;
}
