import { sql, type SQL } from 'drizzle-orm';
import type { ProductHit, ProductSearch } from '../../core/catalog-search.js';
import { catalogWords, products } from '../schema/index.js';
import { productColumns, withVariants } from './catalog-repository.js';
import type { RepositoryContext } from './context.js';

// Reciprocal-rank fusion constant (Cormack et al.): ranks, not raw scores, are fused, so a
// full-text score and a cosine similarity never have to share a scale.
const FUSION_K = 60;
const SYNONYM_KEYS: Record<string, string[]> = {
  colour: ['colour', 'color'],
  color: ['colour', 'color'],
};

interface HitRow extends Record<string, unknown> {
  id: string;
  score: number;
}

const hasVector = new WeakMap<object, Promise<boolean>>();

/**
 * Active products matching the search. Words match full-text (English stemming, title weighted
 * over category and tags over description); a word the catalog does not know is also tried as
 * its closest catalog words (typos); with an embedding (and pgvector) the cosine ranking is fused
 * in by rank.
 * Filters (category, price range, stock, options) hold for at least one variant.
 */
export async function searchProducts(
  context: RepositoryContext,
  businessId: string,
  search: ProductSearch,
): Promise<ProductHit[]> {
  const { db } = context;
  const words = wordsOf(search.query ?? '');
  const filters = variantFilter(search);
  const conditions: SQL[] = [sql`p.business_id = ${businessId}`, sql`p.status = 'active'`];
  if (filters) conditions.push(filters);
  if (search.category?.trim()) {
    // "helmet" finds "Helmets": equal, or one a prefix of the other (no per-row similarity).
    const category = search.category.trim().toLowerCase();
    conditions.push(
      sql`(lower(p.category) = ${category} OR lower(p.category) LIKE ${`${escapeLike(category)}%`} OR ${category} LIKE lower(p.category) || '%')`,
    );
  }
  if (search.excludeProductIds && search.excludeProductIds.length > 0) {
    conditions.push(
      sql`p.id NOT IN (${sql.join(
        search.excludeProductIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
  }
  const useVector =
    search.embedding !== undefined &&
    search.embedding.length > 0 &&
    (await vectorAvailable(context));
  const where = sql.join(conditions, sql` AND `);

  let rows: HitRow[];
  if (words.length === 0 && !useVector) {
    rows = await run<HitRow>(
      context,
      sql`SELECT p.id, 0::float8 AS score FROM ${products} p WHERE ${where}
          ORDER BY p.title LIMIT ${search.limit}`,
    );
  } else {
    const parts: SQL[] = [];
    if (words.length > 0) {
      const alternatives = await typoCorrections(context, businessId, words);
      parts.push(fullTextCandidates(words, alternatives, where));
    }
    if (useVector) parts.push(vectorCandidates(search.embedding!, where));
    rows = await run<HitRow>(
      context,
      sql`WITH ranked AS (${sql.join(parts, sql` UNION ALL `)})
          SELECT id, sum(1.0 / (${FUSION_K} + rank))::float8 AS score
          FROM ranked GROUP BY id ORDER BY score DESC, id LIMIT ${search.limit}`,
    );
  }
  if (rows.length === 0) return [];
  const productRows = await db
    .select(productColumns)
    .from(products)
    .where(
      sql`${products.id} IN (${sql.join(
        rows.map((row) => sql`${row.id}::uuid`),
        sql`, `,
      )})`,
    );
  const found = await withVariants(context, businessId, productRows);
  const byId = new Map(found.map((product) => [product.id, product]));
  return rows.flatMap((row) => {
    const product = byId.get(row.id);
    return product ? [{ product, score: Number(row.score) }] : [];
  });
}

/** One word and its corrections, any of which may match: `'helment' | 'helmet' | 'helmets'`. */
function wordQuery(word: string, alternatives: ReadonlyMap<string, string[]>): SQL {
  const lexemes = [word, ...(alternatives.get(word) ?? [])].map(toTsWord).join(' | ');
  return sql`to_tsquery('english', ${lexemes})`;
}

function anyWordQuery(words: readonly string[], alternatives: ReadonlyMap<string, string[]>): SQL {
  const lexemes = words.flatMap((word) => [word, ...(alternatives.get(word) ?? [])]);
  return sql`to_tsquery('english', ${lexemes.map(toTsWord).join(' | ')})`;
}

/**
 * Full-text matches, ranked: any word may match (customers write sentences), and a product
 * holding more of the query's distinct words ranks first ("electric bike for commuting" puts the
 * electric commuter above the kids' bike that only says "bike"). A misspelt word counts as found
 * when one of its corrections is. The GIN index on `search` finds the candidates; only they are
 * ranked.
 */
function fullTextCandidates(
  words: readonly string[],
  alternatives: ReadonlyMap<string, string[]>,
  where: SQL,
): SQL {
  const coverage = sql.join(
    words.map((word) => sql`(p.search @@ ${wordQuery(word, alternatives)})::int`),
    sql` + `,
  );
  const any = anyWordQuery(words, alternatives);
  return sql`(SELECT id, rank() OVER (ORDER BY score DESC, title) AS rank FROM (
      SELECT p.id, p.title, (${coverage}) + ts_rank(p.search, ${any}) AS score
      FROM ${products} p
      WHERE ${where} AND p.search @@ ${any}
      ORDER BY score DESC LIMIT 200) AS text_hits)`;
}

// pg_trgm similarity a correction needs: "helment" → "helmet" is 0.5, "jaket" → "jacket" 0.44,
// while unrelated short words ("rain", "chain") stay near 0.2.
const CORRECTION_SIMILARITY = 0.4;

/**
 * Typo tolerance: each letter word the catalog does not contain (and that is no English stop
 * word) is looked up in the business's word list (`catalog_words`, trigram-indexed) and gets its
 * three closest words as alternatives. A lookup over the distinct words, never over products.
 */
async function typoCorrections(
  context: RepositoryContext,
  businessId: string,
  words: readonly string[],
): Promise<Map<string, string[]>> {
  const candidates = words.filter((word) => word.length >= 3 && !/\p{N}/u.test(word));
  const alternatives = new Map<string, string[]>();
  if (candidates.length === 0) return alternatives;
  const rows = await run<{ typed: string; correction: string }>(
    context,
    sql`SELECT q.word AS typed, c.word AS correction
        FROM unnest(ARRAY[${sql.join(
          candidates.map((word) => sql`${word}`),
          sql`, `,
        )}]::text[]) AS q(word)
        CROSS JOIN LATERAL (
          SELECT w.word FROM ${catalogWords} w
          WHERE w.business_id = ${businessId} AND w.word % q.word
            AND similarity(w.word, q.word) >= ${CORRECTION_SIMILARITY}
          ORDER BY similarity(w.word, q.word) DESC, w.word LIMIT 3) c
        WHERE to_tsvector('english', q.word) <> ''::tsvector
          AND NOT EXISTS (SELECT 1 FROM ${catalogWords} k
            WHERE k.business_id = ${businessId} AND k.word = q.word)`,
  );
  for (const { typed, correction } of rows) {
    alternatives.set(typed, [...(alternatives.get(typed) ?? []), correction]);
  }
  return alternatives;
}

function vectorCandidates(embedding: readonly number[], where: SQL): SQL {
  const literal = `[${embedding.map((value) => Number(value).toString()).join(',')}]`;
  return sql`(SELECT id, rank() OVER (ORDER BY distance, id) AS rank FROM (
      SELECT p.id, p.embedding::vector <=> ${literal}::vector AS distance
      FROM ${products} p
      WHERE ${where} AND p.embedding IS NOT NULL
        AND array_length(p.embedding, 1) = ${embedding.length}
      ORDER BY distance LIMIT 200) AS vector_hits)`;
}

/** At least one variant meets every variant-level condition at once. */
function variantFilter(search: ProductSearch): SQL | null {
  const conditions: SQL[] = [];
  if (search.minPriceMinor !== undefined)
    conditions.push(sql`v.price_minor >= ${search.minPriceMinor}`);
  if (search.maxPriceMinor !== undefined)
    conditions.push(sql`v.price_minor <= ${search.maxPriceMinor}`);
  if (search.inStock) conditions.push(sql`(v.stock IS NULL OR v.stock > 0)`);
  for (const [rawKey, rawValue] of Object.entries(search.options ?? {})) {
    const key = rawKey.trim().toLowerCase();
    const value = rawValue.trim().toLowerCase();
    if (!key || !value) continue;
    const keys = SYNONYM_KEYS[key] ?? [key];
    // "M" matches "M" and "M (54-58 cm)", never "ML"; "red" matches "Red".
    conditions.push(sql`EXISTS (SELECT 1 FROM jsonb_each_text(v.options) AS o
      WHERE lower(o.key) IN (${sql.join(
        keys.map((k) => sql`${k}`),
        sql`, `,
      )}) AND (lower(o.value) = ${value} OR lower(o.value) LIKE ${`${escapeLike(value)} %`}))`);
  }
  if (conditions.length === 0) return null;
  return sql`EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND ${sql.join(conditions, sql` AND `)})`;
}

/** Letters and digits only: nothing a customer (or a model) types reaches the query syntax. */
export function wordsOf(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, 12);
}

function toTsWord(word: string): string {
  // A quoted lexeme is taken literally by to_tsquery; the words hold no quotes (see wordsOf).
  return `'${word}'`;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}

async function run<Row extends Record<string, unknown>>(
  { db }: RepositoryContext,
  query: SQL,
): Promise<Row[]> {
  const result = await db.execute<Row>(query);
  return (result as { rows: Row[] }).rows;
}

function vectorAvailable(context: RepositoryContext): Promise<boolean> {
  let known = hasVector.get(context.db);
  if (!known) {
    known = run<{ present: boolean }>(
      context,
      sql`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS present`,
    ).then((rows) => rows[0]?.present === true);
    hasVector.set(context.db, known);
  }
  return known;
}
