import { sql, type SQL } from 'drizzle-orm';
import type { Product, ProductVariant } from '../../core/catalog.js';
import type { ProductHit, ProductSearch } from '../../core/catalog-search.js';
import { products, productVariants } from '../schema/index.js';
import { catalogWordVersion } from './catalog-typo-corrections.js';
import { forgetUnknownWords, wordFacts, type CachedWordFacts } from './catalog-word-facts.js';
import { firstPassing, fullTextCandidates, type VariantCheck } from './full-text-tiers.js';
import { queryRows as run, type RepositoryContext } from './context.js';

// Reciprocal-rank fusion constant (Cormack et al.): ranks, not raw scores, are fused, so a
// full-text score and a cosine similarity never have to share a scale.
const FUSION_K = 60;
const SYNONYM_KEYS: Record<string, string[]> = {
  colour: ['colour', 'color'],
  color: ['colour', 'color'],
};

const hasVector = new WeakMap<object, Promise<boolean>>();

/**
 * Active products matching the search. Words match full-text (English stemming, title weighted
 * over category and tags over description); a word the catalog does not know is also tried as
 * its closest catalog words (typos); with an embedding (and pgvector) the cosine ranking is fused
 * in by rank.
 * Filters (category, price range, stock, options) hold for at least one variant.
 * At most two statements: the typo lookup (only for words this process has not yet seen in the
 * business's word list, see catalog-word-facts.ts), then one that ranks, filters and returns the
 * products with their variants. Variant filters are checked on ranked candidates, best first,
 * until the list is full (see `firstPassing`).
 */
export async function searchProducts(
  context: RepositoryContext,
  businessId: string,
  search: ProductSearch,
): Promise<ProductHit[]> {
  const words = wordsOf(search.query ?? '');
  const variants = variantCheck(search);
  const conditions: SQL[] = [sql`p.business_id = ${businessId}`, sql`p.status = 'active'`];
  const category = search.category?.trim().toLowerCase() ?? '';
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

  let ranked: SQL;
  let facts: CachedWordFacts | null = null;
  // The order the hits come back in: the ranking's own (hits.* are the ranked ids' columns).
  let order = sql`hits.score DESC, p.id`;
  if (words.length === 0 && !useVector) {
    // A listing walks titles in order and stops at the limit: the variant check runs as it goes.
    if (variants) conditions.push(variants(sql`p.id`));
    ranked = listing(businessId, category, sql.join(conditions, sql` AND `), search.limit);
    order = sql`p.title, p.id`;
  } else {
    if (category) conditions.push(categoryMatches(category));
    const where = sql.join(conditions, sql` AND `);
    // Without words (a vector search alone) these are empty, and no statement runs.
    facts = await wordFacts(context, businessId, words);
    if (!useVector) {
      // Words alone: the text ranking is the ranking, so only the first `limit` are kept.
      order = sql`hits.score DESC, p.title, p.id`;
      ranked = sql`SELECT id, 1.0::float8 / (${FUSION_K} + rank() OVER (ORDER BY score DESC, title)) AS score
        FROM (${fullTextCandidates(words, facts, where, variants, search.limit)}) AS text_hits`;
    } else {
      const parts: SQL[] = [];
      if (words.length > 0) {
        parts.push(
          sql`(SELECT id, rank() OVER (ORDER BY score DESC, title) AS rank
            FROM (${fullTextCandidates(words, facts, where, variants, FUSED_CANDIDATES)}) AS text_hits)`,
        );
      }
      parts.push(vectorCandidates(search.embedding!, where, variants));
      ranked = sql`SELECT id, sum(1.0 / (${FUSION_K} + rank))::float8 AS score
          FROM (${sql.join(parts, sql` UNION ALL `)}) AS ranked
          GROUP BY id ORDER BY score DESC, id LIMIT ${search.limit}`;
    }
  }
  const expectedVersion = facts?.expectedVersion ?? null;
  let rows = await run<ProductRow>(
    context,
    withProducts(ranked, order, expectedVersion === null ? null : businessId),
  );
  if (expectedVersion !== null) {
    // Unknown words were answered from the cache: they hold only if the business's word list
    // still has the version they were looked up at (another process may have imported since).
    if (Number(rows[0]?.word_version) !== expectedVersion) {
      forgetUnknownWords(context, businessId);
      return searchProducts(context, businessId, search);
    }
    rows = rows.filter((row) => row.id !== null);
  }
  return rows.map((row) => ({
    product: {
      id: row.id,
      businessId: row.business_id,
      handle: row.handle,
      title: row.title,
      description: row.description,
      category: row.category,
      tags: row.tags,
      status: row.status,
      variants: row.variants,
    },
    score: Number(row.score),
  }));
}

// Each ranking fused by reciprocal rank contributes its best 200.
const FUSED_CANDIDATES = 200;

interface ProductRow extends Record<string, unknown> {
  id: string;
  business_id: string;
  handle: string;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  status: Product['status'];
  variants: ProductVariant[];
  score: number;
  /** Only when the search used cached unknown words (see catalog-word-facts.ts). */
  word_version?: number;
}

/**
 * The ranked ids (`id`, `score`) joined to their products, each with its variants as
 * JSON: the hits come back in the statement that found them. With `versionOf`, each row also
 * carries that business's word list version, read in the same snapshot as the ranking.
 */
function withProducts(ranked: SQL, order: SQL, versionOf: string | null): SQL {
  // With a version to read, one row of it is joined to the hits: with no hit, that row alone
  // (a null id) still brings the version back.
  const version = versionOf === null ? sql`` : sql`words.word_version,`;
  const from =
    versionOf === null
      ? sql`hits JOIN ${products} p ON p.id = hits.id`
      : sql`(SELECT ${catalogWordVersion(versionOf)} AS word_version) AS words
        LEFT JOIN (hits JOIN ${products} p ON p.id = hits.id) ON true`;
  return sql`WITH hits AS (${ranked})
    SELECT p.id, p.business_id, p.handle, p.title, p.description, p.category, p.tags, p.status,
      hits.score, ${version}
      coalesce((SELECT json_agg(json_build_object(
          'id', v.id, 'sku', v.sku, 'title', v.title, 'options', v.options,
          'priceMinor', v.price_minor, 'compareAtMinor', v.compare_at_minor, 'stock', v.stock)
          ORDER BY v.position)
        FROM ${productVariants} v WHERE v.product_id = p.id), '[]'::json) AS variants
    FROM ${from}
    ORDER BY ${order}`;
}

/**
 * Filter-only listing in title order, stopping at the limit. With a category, the business's
 * distinct categories are read first (one index probe each, a loose scan of the
 * `(business_id, lower(category), title)` index), and each matching one walks its own titles in
 * order: a rare category never makes the listing read the whole catalog.
 */
function listing(businessId: string, category: string, where: SQL, limit: number): SQL {
  if (!category) {
    return sql`SELECT p.id, 0::float8 AS score FROM ${products} p WHERE ${where}
        ORDER BY p.title LIMIT ${limit}`;
  }
  return sql`SELECT hit.id, 0::float8 AS score FROM (
      WITH RECURSIVE categories(name) AS (
        (SELECT lower(category) FROM ${products}
         WHERE business_id = ${businessId} AND lower(category) IS NOT NULL
         ORDER BY lower(category) LIMIT 1)
        UNION ALL
        SELECT (SELECT lower(p.category) FROM ${products} p
                WHERE p.business_id = ${businessId} AND lower(p.category) > categories.name
                ORDER BY lower(p.category) LIMIT 1)
        FROM categories WHERE categories.name IS NOT NULL
      )
      SELECT name FROM categories WHERE ${categoryNameMatches(sql`name`, category)}
    ) AS matched
    CROSS JOIN LATERAL (
      SELECT p.id, p.title FROM ${products} p
      WHERE lower(p.category) = matched.name AND ${where}
      ORDER BY p.title LIMIT ${limit}) AS hit
    ORDER BY hit.title LIMIT ${limit}`;
}

/** "helmet" finds "Helmets": equal, or one a prefix of the other (no per-row similarity). */
function categoryMatches(category: string): SQL {
  return categoryNameMatches(sql`lower(p.category)`, category);
}

function categoryNameMatches(name: SQL, category: string): SQL {
  return sql`(${name} = ${category} OR ${name} LIKE ${`${escapeLike(category)}%`}
    OR (${name} <> '' AND ${category} LIKE ${name} || '%'))`;
}

function vectorCandidates(
  embedding: readonly number[],
  where: SQL,
  variants: VariantCheck | null,
): SQL {
  const literal = `[${embedding.map((value) => Number(value).toString()).join(',')}]`;
  return sql`(SELECT id, rank() OVER (ORDER BY distance, id) AS rank FROM (${firstPassing(
    sql`SELECT p.id, p.embedding::vector <=> ${literal}::vector AS distance
      FROM ${products} p
      WHERE ${where} AND p.embedding IS NOT NULL
        AND array_length(p.embedding, 1) = ${embedding.length}`,
    sql`distance, id`,
    variants,
    FUSED_CANDIDATES,
  )}) AS vector_hits)`;
}

/**
 * At least one variant of the product whose id is given meets every variant-level condition
 * at once; null when the search sets none.
 */
function variantCheck(search: ProductSearch): VariantCheck | null {
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
    // "M" matches "M" and "M (54-58 cm)", never "ML"; "red" matches "Red". `options_search`
    // is the options lower-cased (keys too), so each key is one lookup.
    const prefix = `${escapeLike(value)} %`;
    conditions.push(
      sql`(${sql.join(
        keys.map(
          (k) =>
            sql`(v.options_search ->> ${k} = ${value} OR v.options_search ->> ${k} LIKE ${prefix})`,
        ),
        sql` OR `,
      )})`,
    );
  }
  if (conditions.length === 0) return null;
  const all = sql.join(conditions, sql` AND `);
  // OFFSET 0 keeps this a check per candidate product (a probe of its few variants by the
  // product_id index): flattened into a join, the planner, which cannot estimate option
  // filters, scanned all 30,000 variants of the benchmark catalog to find a word's 500 products.
  return (productId) => sql`EXISTS (SELECT 1 FROM ${productVariants} v
    WHERE v.product_id = ${productId} AND ${all} OFFSET 0)`;
}

/** Letters and digits only: nothing a customer (or a model) types reaches the query syntax. */
export function wordsOf(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, 12);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
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
