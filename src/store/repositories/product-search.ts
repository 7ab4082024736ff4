import { sql, type SQL } from 'drizzle-orm';
import type { ProductHit, ProductSearch } from '../../core/catalog-search.js';
import { products } from '../schema/index.js';
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
 * over category and tags over description) or, for typos, by trigram word similarity against the
 * product's name words; with an embedding (and pgvector) the cosine ranking is fused in by rank.
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
      parts.push(fullTextCandidates(words, where));
      // Typo tolerance costs a trigram scan: asked for only when the words themselves found
      // too little ("helment", "waterprof").
      const exact = await run<{ found: number }>(
        context,
        sql`SELECT count(*)::int AS found FROM (SELECT 1 FROM ${products} p
            WHERE ${where} AND p.search @@ ${anyWordQuery(words)} LIMIT ${search.limit}) AS enough`,
      );
      if ((exact[0]?.found ?? 0) < search.limit) {
        const trigram = trigramCandidates(words, where);
        if (trigram) parts.push(trigram);
      }
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

function anyWordQuery(words: readonly string[]): SQL {
  return sql`to_tsquery('english', ${words.map(toTsWord).join(' | ')})`;
}

/**
 * Full-text matches, ranked: any word may match (customers write sentences), and a product
 * holding more of the query's distinct words ranks first ("electric bike for commuting" puts the
 * electric commuter above the kids' bike that only says "bike"). Each word is one cheap tsvector
 * lookup per candidate.
 */
function fullTextCandidates(words: readonly string[], where: SQL): SQL {
  const coverage = sql.join(
    words.map((word) => sql`(p.search @@ to_tsquery('english', ${toTsWord(word)}))::int`),
    sql` + `,
  );
  return sql`(SELECT id, rank() OVER (ORDER BY score DESC, title) AS rank FROM (
      SELECT p.id, p.title, (${coverage}) + ts_rank(p.search, ${anyWordQuery(words)}) AS score
      FROM ${products} p
      WHERE ${where} AND p.search @@ ${anyWordQuery(words)}
      ORDER BY score DESC LIMIT 200) AS text_hits)`;
}

/** Trigram word similarity against the product's name words: catches typos. */
function trigramCandidates(words: readonly string[], where: SQL): SQL | null {
  const trigramWords = words.filter((word) => word.length >= 3);
  if (trigramWords.length === 0) return null;
  const fuzzy = sql.join(
    trigramWords.map((word) => sql`${word} <% p.search_text`),
    sql` OR `,
  );
  const similarity = sql.join(
    trigramWords.map((word) => sql`word_similarity(${word}, p.search_text)`),
    sql` + `,
  );
  return sql`(SELECT id, rank() OVER (ORDER BY score DESC, title) AS rank FROM (
      SELECT p.id, p.title, ${similarity} AS score
      FROM ${products} p
      WHERE ${where} AND (${fuzzy})
      ORDER BY score DESC LIMIT 200) AS trigram_hits)`;
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
