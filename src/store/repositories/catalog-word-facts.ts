import type { SQL } from 'drizzle-orm';
import { correctableWords, typoCorrectionsQuery } from './catalog-typo-corrections.js';
import type { WordFacts } from './full-text-tiers.js';
import type { RepositoryContext } from './context.js';

/**
 * What earlier searches learnt about words, per database handle (a transaction's handle gets its
 * own, so nothing it saw outlives it):
 * - `lexemes`: each word as `to_tsquery('english')` reads it ('' for a stop word). The same for
 *   every business: it depends on the text search configuration only.
 * - `known`: per business, words its word list (`catalog_words`) holds. The list only ever grows
 *   (the products trigger adds words and nothing removes them while the business exists), so a
 *   word once seen there stays there, whichever process writes the catalog: a known word is never
 *   corrected, and needs no lookup. A word the cache does not know is always looked up, so a word
 *   another process's import has just added is found at once.
 * Words not in the list, and their corrections, are never cached: they change with the catalog.
 */
interface WordCache {
  lexemes: Map<string, string>;
  known: Map<string, Set<string>>;
}

// Bounds on what one process keeps: past them a map starts again empty (a lookup refills it).
const MAX_LEXEMES = 50_000;
const MAX_BUSINESSES = 1_000;
const MAX_KNOWN_PER_BUSINESS = 50_000;

const caches = new WeakMap<object, WordCache>();

function cacheFor(db: object): WordCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = { lexemes: new Map(), known: new Map() };
    caches.set(db, cache);
  }
  return cache;
}

/**
 * Each unknown word's closest catalog words (see catalog-typo-corrections.ts), which words are
 * stop words, and each word's and correction's lexemes. A query whose every word is either known
 * to the business's word list or needs no correction (a stop word, a figure, a word under three
 * letters), and whose lexemes are all cached, needs no statement at all; otherwise only the
 * words the cache cannot answer for are looked up. Skipped for a single word the catalog cannot
 * correct (it needs neither).
 */
export async function wordFacts(
  context: RepositoryContext,
  businessId: string,
  words: readonly string[],
): Promise<WordFacts> {
  const alternatives = new Map<string, string[]>();
  const stopWords = new Set<string>();
  const lexemes = new Map<string, string>();
  const correctable = new Set(correctableWords(words));
  if (correctable.size === 0 && words.length < 2) return { alternatives, stopWords, lexemes };
  const cache = cacheFor(context.db);
  const known = cache.known.get(businessId);
  const open: string[] = [];
  for (const word of words) {
    const text = cache.lexemes.get(word);
    if (text === undefined || (text !== '' && correctable.has(word) && !known?.has(word))) {
      open.push(word);
      continue;
    }
    lexemes.set(word, text);
    if (text === '') stopWords.add(word);
  }
  if (open.length === 0) return { alternatives, stopWords, lexemes };

  const rows = await run<{
    typed: string;
    correction: string | null;
    lexemes: string;
    known: boolean;
  }>(context, typoCorrectionsQuery(businessId, correctableWords(open), open));
  const learnt: string[] = [];
  for (const row of rows) {
    const word = row.correction ?? row.typed;
    lexemes.set(word, row.lexemes);
    remember(cache.lexemes, word, row.lexemes);
    // A correction is a word of the list, and so is a typed word the lookup found there.
    if (row.known) learnt.push(word);
    if (row.correction === null) {
      if (row.lexemes === '') stopWords.add(row.typed);
    } else alternatives.set(row.typed, [...(alternatives.get(row.typed) ?? []), row.correction]);
  }
  if (learnt.length > 0) {
    let set = known;
    if (!set) {
      if (cache.known.size >= MAX_BUSINESSES) cache.known.clear();
      set = new Set();
      cache.known.set(businessId, set);
    }
    if (set.size + learnt.length > MAX_KNOWN_PER_BUSINESS) set.clear();
    for (const word of learnt) set.add(word);
  }
  return { alternatives, stopWords, lexemes };
}

function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= MAX_LEXEMES && !map.has(key)) map.clear();
  map.set(key, value);
}

async function run<Row extends Record<string, unknown>>(
  { db }: RepositoryContext,
  query: SQL,
): Promise<Row[]> {
  const result = await db.execute<Row>(query);
  return (result as { rows: Row[] }).rows;
}
