// Knowledge search latency over 50,000 passages (p50/p99), on PGlite and, with DATABASE_URL, on
// PostgreSQL, against a baseline measured in the same run: one document read by primary key.
// Targets (issue 5): p99 ≤ 20 ms on PGlite, ≤ 10 ms on PostgreSQL.
// Run: npx tsx bench/knowledge-search.ts [passages] [queries] (defaults 50,000 and 300).
// `benchKnowledgeSearch` and `renderTable` are what the bench runner calls.
import { randomBytes, randomUUID } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from '../src/store/database.js';
import { createDrizzleStore } from '../src/store/drizzle-store.js';
import { refreshStatistics } from '../src/store/refresh-statistics.js';
import { businesses, knowledgeDocuments, knowledgePassages } from '../src/store/schema/index.js';
import { createPostgresDatabase } from './support/bench-database.js';
import { formatNumber, formatRatio, summarizeLatencies } from './support/latency-stats.js';

export interface KnowledgeSearchPlan {
  passages: number;
  queries: number;
}

export interface KnowledgeSearchResult {
  backend: 'pglite' | 'postgres';
  passages: number;
  queries: number;
  p50Ms: number;
  p99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  queriesWithNoHit: number;
  targetP99Ms: number;
  /** Per query kind (see `queries`), so the kind that sets the overall p99 shows. */
  kinds: string[];
}

const KINDS = ['two words', 'sentence', 'common word', 'rare word'];

const PASSAGES_PER_DOCUMENT = 100;
// Shop words that recur everywhere, and a long tail of rarer ones (product names, terms).
const COMMON = [
  'bike',
  'order',
  'delivery',
  'return',
  'service',
  'frame',
  'wheel',
  'customer',
  'shop',
  'day',
  'price',
  'warranty',
  'repair',
  'helmet',
  'size',
  'battery',
  'brake',
  'tyre',
  'gear',
  'chain',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ran', 'tes', 'vo', 'zu', 'pel', 'dor', 'qui', 'sen', 'bar'];

function rareWord(index: number): string {
  return `${SYLLABLES[index % 12]}${SYLLABLES[Math.floor(index / 12) % 12]}${SYLLABLES[Math.floor(index / 144) % 12]}`;
}

/** A deterministic pseudo-random sequence: the same corpus and queries in every run. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function word(random: () => number): string {
  // A third of the words are common shop words; the rest skewed over 1,728 rarer ones.
  if (random() < 0.33) return COMMON[Math.floor(random() * COMMON.length)]!;
  return rareWord(Math.floor(1728 * random() ** 2));
}

export async function seed(
  handle: DatabaseHandle,
  count: number,
): Promise<{ businessId: string; documentIds: string[] }> {
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
  const random = sequence(42);
  const documentIds: string[] = [];
  for (let start = 0; start < count; start += PASSAGES_PER_DOCUMENT) {
    const documentId = randomUUID();
    documentIds.push(documentId);
    const size = Math.min(PASSAGES_PER_DOCUMENT, count - start);
    await handle.db.insert(knowledgeDocuments).values({
      id: documentId,
      businessId,
      name: `guide-${start / PASSAGES_PER_DOCUMENT}.md`,
      title: `Guide ${start / PASSAGES_PER_DOCUMENT}`,
      format: 'markdown',
      byteSize: size * 400,
      passageCount: size,
      status: 'indexed',
    });
    const rows = [];
    for (let index = 0; index < size; index++) {
      const words = Array.from({ length: 70 }, () => word(random));
      rows.push({
        id: randomUUID(),
        businessId,
        documentId,
        position: index,
        section: `${word(random)} ${word(random)}`,
        page: null,
        text: `${words.join(' ')}.`,
      });
    }
    await handle.db.insert(knowledgePassages).values(rows);
  }
  // As an import or upload does once it has written (the seed writes rows directly).
  await refreshStatistics(handle.db, ['knowledge_passages']);
  return { businessId, documentIds };
}

export function queries(count: number): string[] {
  const random = sequence(7);
  return Array.from({ length: count }, (_, index) => {
    switch (index % 4) {
      case 0: // two words, as keywords
        return `${word(random)} ${word(random)}`;
      case 1: // a customer's sentence
        return `how long does the ${word(random)} ${word(random)} take to arrive?`;
      case 2: // one common word: the most passages to rank
        return COMMON[Math.floor(random() * COMMON.length)]!;
      default: // one rare word
        return rareWord(Math.floor(1728 * random()));
    }
  });
}

async function measure(
  handle: DatabaseHandle,
  backend: 'pglite' | 'postgres',
  plan: KnowledgeSearchPlan,
): Promise<KnowledgeSearchResult> {
  const { businessId, documentIds } = await seed(handle, plan.passages);
  const store = createDrizzleStore(handle.db);
  const list = queries(plan.queries);
  for (const query of list.slice(0, 30)) {
    await store.knowledgeDocuments.search(businessId, { query, limit: 4 });
  }
  const timings: number[] = [];
  const baseline: number[] = [];
  let empty = 0;
  // Each search is followed by its baseline, so both see the same machine load.
  for (const [index, query] of list.entries()) {
    const started = performance.now();
    const hits = await store.knowledgeDocuments.search(businessId, { query, limit: 4 });
    timings.push(performance.now() - started);
    if (hits.length === 0) empty++;
    const lookup = performance.now();
    await store.knowledgeDocuments.getById(businessId, documentIds[index % documentIds.length]!);
    baseline.push(performance.now() - lookup);
  }
  const search = summarizeLatencies(timings);
  const base = summarizeLatencies(baseline);
  const kinds = KINDS.map((kind, index) => {
    const own = summarizeLatencies(timings.filter((_, at) => at % KINDS.length === index));
    return `${kind}: p50 ${formatNumber(own.p50)} p99 ${formatNumber(own.p99)} max ${formatNumber(own.max)}`;
  });
  return {
    backend,
    passages: plan.passages,
    queries: list.length,
    p50Ms: search.p50,
    p99Ms: search.p99,
    baselineP50Ms: base.p50,
    baselineP99Ms: base.p99,
    queriesWithNoHit: empty,
    targetP99Ms: backend === 'pglite' ? 20 : 10,
    kinds,
  };
}

/** Measures on PGlite and, given a PostgreSQL server URL, on a scratch database there. */
export async function benchKnowledgeSearch(
  plan: KnowledgeSearchPlan,
  databaseUrl: string | undefined,
): Promise<KnowledgeSearchResult[]> {
  const results: KnowledgeSearchResult[] = [];
  const pglite = await openDatabase({ kind: 'pglite-memory' });
  try {
    results.push(await measure(pglite, 'pglite', plan));
  } finally {
    await pglite.close();
  }
  if (databaseUrl) {
    const scratch = await createPostgresDatabase(databaseUrl);
    const postgres = await openDatabase({ kind: 'postgres', url: scratch.url });
    try {
      results.push(await measure(postgres, 'postgres', plan));
    } finally {
      await postgres.close();
      await scratch.drop();
    }
  }
  return results;
}

/** The results as a Markdown table for docs/benchmarks.md. */
export function renderTable(results: readonly KnowledgeSearchResult[]): string {
  const lines = [
    '| backend | passages | queries | p50 ms | p99 ms | target p99 | baseline p50 / p99 ms | p50 / p99 vs baseline | no hit |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of results) {
    lines.push(
      `| ${result.backend} | ${result.passages.toLocaleString('en-GB')} | ${result.queries} | ${formatNumber(result.p50Ms)} | ${formatNumber(result.p99Ms)} | ≤ ${result.targetP99Ms} ms ${result.p99Ms <= result.targetP99Ms ? '✓' : '✗'} | ${formatNumber(result.baselineP50Ms)} / ${formatNumber(result.baselineP99Ms)} | ${formatRatio(result.p50Ms, result.baselineP50Ms)} / ${formatRatio(result.p99Ms, result.baselineP99Ms)} | ${result.queriesWithNoHit} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const plan = {
    passages: Number(process.argv[2] ?? 50_000),
    queries: Number(process.argv[3] ?? 300),
  };
  const results = await benchKnowledgeSearch(plan, process.env.DATABASE_URL);
  console.log(renderTable(results));
  for (const result of results) console.log(`${result.backend} (ms): ${result.kinds.join('; ')}`);
}
