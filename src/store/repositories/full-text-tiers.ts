import { sql, type SQL } from 'drizzle-orm';
import { products } from '../schema/index.js';

/** What the typo lookup learnt about the query's words (see product-search.ts). */
export interface WordFacts {
  alternatives: ReadonlyMap<string, string[]>;
  stopWords: ReadonlySet<string>;
  /** Each word and correction as `to_tsquery` reads it ('' for a stop word). */
  lexemes: ReadonlyMap<string, string>;
}

/**
 * The variant-level filters (price, stock, options) as a check of one product, given its id:
 * kept apart from the product's own conditions so that it runs on ranked candidates only.
 */
export type VariantCheck = (productId: SQL) => SQL;

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
  { alternatives, stopWords, lexemes }: WordFacts,
  where: SQL,
  variants: VariantCheck | null,
  limit: number,
): SQL {
  const scoring = words.filter((word) => !stopWords.has(word));
  if (scoring.length < 2 || !scoring.every((word) => lexemes.get(word))) {
    const any = tsquery(scoring.length > 0 ? scoring : words, alternatives);
    const coverage = sql.join(
      words.map((word) => sql`(p.search @@ ${tsquery([word], alternatives)})::int`),
      sql` + `,
    );
    return firstPassing(
      sql`SELECT p.id, p.title, (${coverage}) + ts_rank(p.search, ${any}) AS score
      FROM ${products} p
      WHERE ${where} AND p.search @@ ${any}`,
      BY_SCORE,
      variants,
      limit,
    );
  }
  // Each word as the literal of its lexemes and its corrections' (stemmed once, by the typo
  // lookup): written into every tier, a to_tsquery would stem them again in each.
  const terms = scoring.map((word) => {
    const found = [word, ...(alternatives.get(word) ?? [])]
      .map((lexeme) => lexemes.get(lexeme) ?? '')
      .filter((text) => text !== '');
    return found.length === 1
      ? `(${found[0]!})`
      : `(${found.map((text) => `(${text})`).join(' | ')})`;
  });
  const atLeast = (k: number): SQL => sql`${anyOf(terms, k)}::tsquery`;
  const any = atLeast(1);
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
    const above = k < n ? sql` AND NOT p.search @@ ${atLeast(k + 1)}` : sql``;
    tiers.push(
      sql`${sql.raw(name)} AS (${firstPassing(
        sql`SELECT p.id, p.title, ${sql.raw(String(k))} + ts_rank(p.search, ${any}) AS score
        FROM ${products} p
        WHERE (${found()}) < ${limit} AND ${where}
          AND p.search @@ ${atLeast(k)}${above}`,
        BY_SCORE,
        variants,
        limit,
      )})`,
    );
    names.push(name);
  }
  const coverage =
    lowest === 2
      ? sql`1`
      : sql.join(
          terms.map((term) => sql`(p.search @@ ${term}::tsquery)::int`),
          sql` + `,
        );
  tiers.push(
    sql`remainder AS (${firstPassing(
      sql`SELECT p.id, p.title, (${coverage}) + ts_rank(p.search, ${any}) AS score
      FROM ${products} p
      WHERE (${found()}) < ${limit} AND ${where}
        AND p.search @@ ${any}
        AND NOT p.search @@ ${atLeast(lowest)}`,
      BY_SCORE,
      variants,
      limit,
    )})`,
  );
  names.push('remainder');
  return sql`WITH ${sql.join(tiers, sql`, `)}
    SELECT id, title, score FROM (${sql.join(
      names.map((name) => sql`SELECT id, title, score FROM ${sql.raw(name)}`),
      sql` UNION ALL `,
    )}) AS tiers
    ORDER BY score DESC, title LIMIT ${limit}`;
}

const BY_SCORE = sql`score DESC, title`;

/**
 * The first `limit` rows of `candidates` (a SELECT with an `id` column) in `order` (written
 * over the candidates' column names) whose product passes the variant check. Without a check,
 * a plain ORDER BY ... LIMIT. With one, the candidates are sorted first (OFFSET 0 keeps the
 * check out of their scan) and the check runs on them in that order until `limit` pass: a
 * product's variants are probed only while the list is not full, instead of for every product
 * holding the word (1,500 probes for "light" in the benchmark catalog, of which 5 were kept).
 * Ranking a candidate (its text score) costs far less than probing its variants.
 */
export function firstPassing(
  candidates: SQL,
  order: SQL,
  variants: VariantCheck | null,
  limit: number,
): SQL {
  if (!variants) return sql`${candidates} ORDER BY ${order} LIMIT ${limit}`;
  return sql`SELECT * FROM (${candidates} ORDER BY ${order} OFFSET 0) AS candidate
    WHERE ${variants(sql`candidate.id`)}
    ORDER BY ${order} LIMIT ${limit}`;
}

/**
 * One word and its corrections, any of which may match, as a `to_tsquery` over the quoted
 * words: `'helment' | 'helmet'`.
 */
function tsquery(words: readonly string[], alternatives: ReadonlyMap<string, string[]>): SQL {
  const lexemes = words.flatMap((word) => [word, ...(alternatives.get(word) ?? [])]);
  return sql`to_tsquery('english', ${lexemes.map(toTsWord).join(' | ')})`;
}

/** "Any `k` of the terms": `(a & b) | (a & c) | ...`; k = 1 is any term, k = n all of them. */
function anyOf(terms: readonly string[], k: number): string {
  return combinations(terms, k)
    .map((group) => `(${group.join(' & ')})`)
    .join(' | ');
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
