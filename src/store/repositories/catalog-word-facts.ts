import { correctableWords, typoCorrectionsQuery } from './catalog-typo-corrections.js';
import type { WordFacts } from './full-text-tiers.js';
import { queryRows as run, type RepositoryContext } from './context.js';

/**
 * What earlier searches learnt about words, per database handle (a transaction's handle gets its
 * own, so nothing it saw outlives it):
 * - `lexemes`: each word as `to_tsquery('english')` reads it ('' for a stop word). The same for
 *   every business: it depends on the text search configuration only.
 * - per business, `known`: words its word list (`catalog_words`) holds. The list only ever grows
 *   (the products trigger adds words and nothing removes them while the business exists), so a
 *   word once seen there stays there, whichever process writes the catalog: a known word is never
 *   corrected and needs no lookup, and this needs no invalidation.
 * - per business, `unknown`: words the list did not hold at its `version`, each with its
 *   corrections. These change with the catalog: the search statement that uses them also reads
 *   the list's version (`catalog_word_versions`, bumped by the same trigger in the same
 *   transaction as the words), and when another process's import or sync has moved it, the
 *   entries are dropped and the search runs again with a fresh lookup (see product-search.ts).
 */
interface WordCache {
  lexemes: Map<string, string>;
  businesses: Map<string, BusinessWords>;
}

interface BusinessWords {
  known: Set<string>;
  unknown: Map<string, Correction[]>;
  /** The list's version when `unknown` was filled; null while it is empty. */
  version: number | null;
}

interface Correction {
  word: string;
  lexemes: string;
}

/** The facts, and the list version the search statement must still find for them to hold. */
export interface CachedWordFacts extends WordFacts {
  /** Set when unknown words were answered from the cache: the version they were learnt at. */
  expectedVersion: number | null;
}

// Bounds on what one process keeps: past them a map starts again empty (a lookup refills it).
const MAX_LEXEMES = 50_000;
const MAX_BUSINESSES = 1_000;
const MAX_WORDS_PER_BUSINESS = 50_000;

const caches = new WeakMap<object, WordCache>();

function cacheFor(db: object): WordCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = { lexemes: new Map(), businesses: new Map() };
    caches.set(db, cache);
  }
  return cache;
}

function businessWords(cache: WordCache, businessId: string): BusinessWords {
  let entry = cache.businesses.get(businessId);
  if (!entry) {
    if (cache.businesses.size >= MAX_BUSINESSES) cache.businesses.clear();
    entry = { known: new Set(), unknown: new Map(), version: null };
    cache.businesses.set(businessId, entry);
  }
  return entry;
}

/**
 * Each unknown word's closest catalog words (see catalog-typo-corrections.ts), which words are
 * stop words, and each word's and correction's lexemes. When the cache answers for every word,
 * no statement runs; otherwise one lookup covers the words it cannot answer for and every word
 * the list does not hold. Skipped for a single word the catalog cannot correct (it needs
 * neither).
 */
export async function wordFacts(
  context: RepositoryContext,
  businessId: string,
  words: readonly string[],
): Promise<CachedWordFacts> {
  const alternatives = new Map<string, string[]>();
  const stopWords = new Set<string>();
  const lexemes = new Map<string, string>();
  const correctable = new Set(correctableWords(words));
  if (correctable.size === 0 && words.length < 2) {
    return { alternatives, stopWords, lexemes, expectedVersion: null };
  }
  const cache = cacheFor(context.db);
  const entry = businessWords(cache, businessId);
  let answered = true;
  let usedUnknown = false;
  for (const word of words) {
    const text = cache.lexemes.get(word);
    if (text === undefined) {
      answered = false;
      break;
    }
    lexemes.set(word, text);
    if (text === '') stopWords.add(word);
    if (text === '' || !correctable.has(word) || entry.known.has(word)) continue;
    const corrections = entry.unknown.get(word);
    if (!corrections) {
      answered = false;
      break;
    }
    usedUnknown = true;
    if (corrections.length > 0) {
      alternatives.set(
        word,
        corrections.map((correction) => correction.word),
      );
      for (const correction of corrections) lexemes.set(correction.word, correction.lexemes);
    }
  }
  if (answered) {
    return {
      alternatives,
      stopWords,
      lexemes,
      expectedVersion: usedUnknown ? entry.version : null,
    };
  }
  return lookUp(context, cache, entry, businessId, words, correctable);
}

async function lookUp(
  context: RepositoryContext,
  cache: WordCache,
  entry: BusinessWords,
  businessId: string,
  words: readonly string[],
  correctable: ReadonlySet<string>,
): Promise<CachedWordFacts> {
  const alternatives = new Map<string, string[]>();
  const stopWords = new Set<string>();
  const lexemes = new Map<string, string>();
  // Every word whose lexemes are not cached, and every correctable word the list is not known
  // to hold (the cached answers for those may be stale, and this lookup costs the same).
  const open = words.filter((word) => {
    const text = cache.lexemes.get(word);
    return text === undefined || (text !== '' && correctable.has(word) && !entry.known.has(word));
  });
  for (const word of words) {
    if (open.includes(word)) continue;
    const text = cache.lexemes.get(word)!;
    lexemes.set(word, text);
    if (text === '') stopWords.add(word);
  }
  const openCorrectable = correctableWords(open);
  const rows = await run<{
    typed: string;
    correction: string | null;
    lexemes: string;
    known: boolean;
    word_version: number;
  }>(context, typoCorrectionsQuery(businessId, openCorrectable, open));
  const version = Number(rows[0]?.word_version ?? 0);
  if (entry.version !== version) {
    entry.unknown.clear();
    entry.version = version;
  }
  const corrections = new Map<string, Correction[]>();
  for (const row of rows) {
    const word = row.correction ?? row.typed;
    lexemes.set(word, row.lexemes);
    remember(cache.lexemes, word, row.lexemes);
    // A correction is a word of the list, and so is a typed word the lookup found there.
    if (row.known) {
      if (entry.known.size >= MAX_WORDS_PER_BUSINESS) entry.known.clear();
      entry.known.add(word);
    }
    if (row.correction === null) {
      if (row.lexemes === '') stopWords.add(row.typed);
    } else {
      corrections.set(row.typed, [
        ...(corrections.get(row.typed) ?? []),
        { word: row.correction, lexemes: row.lexemes },
      ]);
    }
  }
  for (const [typed, found] of corrections) {
    alternatives.set(
      typed,
      found.map((correction) => correction.word),
    );
  }
  // The words the list did not hold at `version`, with what they were corrected to (maybe nothing).
  for (const word of openCorrectable) {
    if (entry.known.has(word) || lexemes.get(word) === '') continue;
    if (entry.unknown.size >= MAX_WORDS_PER_BUSINESS) entry.unknown.clear();
    entry.unknown.set(word, corrections.get(word) ?? []);
  }
  return { alternatives, stopWords, lexemes, expectedVersion: null };
}

/**
 * Forgets what the business's list did not hold: called when a search statement found the list's
 * version moved since those words were looked up.
 */
export function forgetUnknownWords(context: RepositoryContext, businessId: string): void {
  const entry = cacheFor(context.db).businesses.get(businessId);
  if (!entry) return;
  entry.unknown.clear();
  entry.version = null;
}

function remember(map: Map<string, string>, key: string, value: string): void {
  if (map.size >= MAX_LEXEMES && !map.has(key)) map.clear();
  map.set(key, value);
}
