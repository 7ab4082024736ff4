// Product search latency over 10,000 products (p50/p99), on PGlite and, with DATABASE_URL, on
// PostgreSQL. Targets (issue 5): p99 ≤ 20 ms on PGlite, ≤ 10 ms on PostgreSQL.
// Run: npx tsx bench/catalog-search.ts [products] [queries] (defaults 10,000 and 300).
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ProductSearch } from '../src/core/catalog-search.js';
import { openDatabase, type DatabaseHandle } from '../src/store/database.js';
import { createDrizzleStore } from '../src/store/drizzle-store.js';
import { refreshStatistics } from '../src/store/refresh-statistics.js';
import { businesses, products, productVariants } from '../src/store/schema/index.js';

const ADJECTIVES = [
  'lightweight',
  'waterproof',
  'carbon',
  'steel',
  'aluminium',
  'reflective',
  'thermal',
  'compact',
  'folding',
  'electric',
  'tubeless',
  'padded',
  'merino',
  'insulated',
  'aero',
  'gravel',
  'urban',
  'touring',
  'racing',
  'kids',
];
const NOUNS = [
  'helmet',
  'jacket',
  'gloves',
  'lock',
  'light',
  'pump',
  'tyre',
  'saddle',
  'pedals',
  'bottle',
  'mudguard',
  'rack',
  'pannier',
  'wheel',
  'chain',
  'bell',
  'mirror',
  'shorts',
  'jersey',
  'bike',
];
const CATEGORIES = [
  'Helmets',
  'Clothing',
  'Locks',
  'Lights',
  'Pumps',
  'Tyres and tubes',
  'Accessories',
  'Components',
  'Bikes',
  'Bags',
];
const SIZES = ['S', 'M', 'L', 'XL'];
const COLOURS = ['Black', 'Red', 'Blue', 'White', 'Green'];

interface Plan {
  products: number;
  queries: number;
}

function pick<T>(list: readonly T[], seed: number): T {
  return list[Math.abs(seed) % list.length]!;
}

function benchHandle(index: number): string {
  return `${pick(ADJECTIVES, index * 7)}-${pick(NOUNS, index * 13 + 3)}-${index}`;
}

export async function seed(handle: DatabaseHandle, count: number): Promise<string> {
  const businessId = randomUUID();
  await handle.db.insert(businesses).values({
    id: businessId,
    slug: `bench-${randomBytes(4).toString('hex')}`,
    name: 'Bench Cycles',
    profile: {
      description: '',
      timezone: 'Europe/London',
      languages: ['en'],
      currency: 'GBP',
      openingHours: {},
      tone: 'plain',
    },
  });
  for (let start = 0; start < count; start += 500) {
    const productRows = [];
    const variantRows = [];
    for (let index = start; index < Math.min(count, start + 500); index++) {
      const id = randomUUID();
      const adjective = pick(ADJECTIVES, index * 7);
      const noun = pick(NOUNS, index * 13 + 3);
      const second = pick(ADJECTIVES, index * 31 + 5);
      productRows.push({
        id,
        businessId,
        handle: benchHandle(index),
        title: `${adjective[0]!.toUpperCase()}${adjective.slice(1)} ${noun} ${index}`,
        description: `A ${second} ${noun} for ${pick(['commuting', 'racing', 'touring', 'winter riding', 'kids'], index)}, model ${index}. ${pick(ADJECTIVES, index * 3)} and ${pick(ADJECTIVES, index * 5)}.`,
        category: pick(CATEGORIES, index * 17),
        tags: [noun, adjective, second],
        status: 'active' as const,
      });
      // Colour and stock vary independently of the noun (which follows index % 20): were they
      // functions of index % 5 too, each noun's size M would come in one colour only, and
      // option searches would find nothing for four colours in five.
      for (let variant = 0; variant < 3; variant++) {
        const colour = pick(COLOURS, Math.floor(index / 20) + variant);
        variantRows.push({
          id: randomUUID(),
          businessId,
          productId: id,
          sku: `B-${index}-${variant}`,
          title: `${SIZES[variant]} / ${colour}`,
          options: { size: SIZES[variant]!, colour },
          priceMinor: 500 + ((index * 977 + variant * 101) % 300_000),
          compareAtMinor: null,
          stock: (Math.floor(index / 100) + variant) % 5,
          position: variant,
        });
      }
    }
    await handle.db.insert(products).values(productRows);
    await handle.db.insert(productVariants).values(variantRows);
  }
  // As an import or upload does once it has written (the seed writes rows directly).
  await refreshStatistics(handle.db, ['products', 'product_variants', 'catalog_words']);
  return businessId;
}

export function queries(count: number): Array<Omit<ProductSearch, 'limit'>> {
  const list: Array<Omit<ProductSearch, 'limit'>> = [];
  for (let index = 0; index < count; index++) {
    const noun = pick(NOUNS, index * 11);
    const adjective = pick(ADJECTIVES, index * 19);
    switch (index % 6) {
      case 0:
        list.push({ query: `${adjective} ${noun}` });
        break;
      case 1: // typo: a letter dropped
        list.push({ query: `${noun.slice(0, 2)}${noun.slice(3)}` });
        break;
      case 2:
        list.push({ query: `do you have a ${adjective} ${noun} for commuting in the rain?` });
        break;
      case 3:
        list.push({ query: noun, maxPriceMinor: 10_000, inStock: true });
        break;
      case 4:
        list.push({
          query: `${noun}`,
          options: { size: 'M', colour: pick(COLOURS, index) },
          inStock: true,
        });
        break;
      default:
        list.push({
          category: pick(CATEGORIES, index),
          minPriceMinor: 5_000,
          maxPriceMinor: 50_000,
        });
    }
  }
  return list;
}

function percentile(sorted: readonly number[], share: number): number {
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!.toFixed(2));
}

/**
 * Each search is paired with the baseline, one product read by its handle (the cheapest useful
 * catalog query), measured right after it: both see the same machine load, so the ratio between
 * them stays comparable across machines and busy moments.
 */
async function measure(handle: DatabaseHandle, plan: Plan) {
  const businessId = await seed(handle, plan.products);
  const store = createDrizzleStore(handle.db);
  const list = queries(plan.queries);
  for (const search of list.slice(0, 30))
    await store.catalog.searchProducts(businessId, { ...search, limit: 5 });
  const timings: number[] = [];
  const baseline: number[] = [];
  let empty = 0;
  for (const [index, search] of list.entries()) {
    const started = performance.now();
    const hits = await store.catalog.searchProducts(businessId, { ...search, limit: 5 });
    timings.push(performance.now() - started);
    if (hits.length === 0) empty++;
    const lookup = performance.now();
    await store.catalog.getProduct(businessId, benchHandle(index % plan.products));
    baseline.push(performance.now() - lookup);
  }
  const byKind = new Map<number, number[]>();
  timings.forEach((ms, index) => byKind.set(index % 6, [...(byKind.get(index % 6) ?? []), ms]));
  // Per kind (0 two words, 1 typo, 2 sentence, 3 price and stock, 4 options, 5 category):
  // mean, p50 and p99, so the kind that sets the overall p99 shows.
  const kinds = [...byKind].map(([kind, list]) => {
    const sorted = [...list].sort((a, b) => a - b);
    const mean = (list.reduce((a, b) => a + b, 0) / list.length).toFixed(1);
    return `${kind}: mean ${mean} p50 ${percentile(sorted, 0.5)} p99 ${percentile(sorted, 0.99)}`;
  });
  timings.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  const p50Ms = percentile(timings, 0.5);
  const p99Ms = percentile(timings, 0.99);
  const baselineP50Ms = percentile(baseline, 0.5);
  const baselineP99Ms = percentile(baseline, 0.99);
  return {
    kinds,
    products: plan.products,
    queries: list.length,
    p50Ms,
    p99Ms,
    maxMs: Number(timings.at(-1)!.toFixed(2)),
    baselineP50Ms,
    baselineP99Ms,
    p50VsBaseline: Number((p50Ms / baselineP50Ms).toFixed(1)),
    p99VsBaseline: Number((p99Ms / baselineP99Ms).toFixed(1)),
    queriesWithNoHit: empty,
  };
}

export async function benchCatalogSearch(plan: Plan, databaseUrl: string | undefined) {
  const results: Record<string, unknown> = {};
  const pglite = await openDatabase({ kind: 'pglite-memory' });
  try {
    results.pglite = await measure(pglite, plan);
  } finally {
    await pglite.close();
  }
  if (databaseUrl) {
    const name = `parley_bench_catalog_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const postgres = await openDatabase({ kind: 'postgres', url: url.toString() });
    try {
      results.postgres = await measure(postgres, plan);
    } finally {
      await postgres.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const plan = {
    products: Number(process.argv[2] ?? 10_000),
    queries: Number(process.argv[3] ?? 300),
  };
  console.log(JSON.stringify(await benchCatalogSearch(plan, process.env.DATABASE_URL), null, 2));
}
