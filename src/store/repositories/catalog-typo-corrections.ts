import { sql, type SQL } from 'drizzle-orm';
import { catalogWordVersions, catalogWords } from '../schema/index.js';

// pg_trgm similarity a correction needs: "helment" → "helmet" is 0.5, "jaket" → "jacket" 0.44,
// while unrelated short words ("rain", "chain") stay near 0.2.
const CORRECTION_SIMILARITY = 0.4;
// Short words have too few trigrams for similarity: "rak" → "rack" is 0.29, "lok" → "lock"
// 0.29. Up to this length a word's one-edit neighbours are also looked up, by exact match.
const EDIT_NEIGHBOURS_UP_TO = 5;
const CORRECTIONS_PER_WORD = 3;
const LATIN = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The customer's words the catalog may know under another spelling: letter words of three
 * letters or more (no digits: a figure is never "corrected" into another one).
 */
export function correctableWords(words: readonly string[]): string[] {
  return words.filter((word) => word.length >= 3 && !/\p{N}/u.test(word));
}

/**
 * Every string one edit away from `word` (a letter deleted, swapped with the next, replaced or
 * inserted), over a–z and the word's own letters: what a dropped or mistyped key produces.
 */
export function editNeighbours(word: string): string[] {
  const letters = [...word];
  const alphabet = [...new Set([...LATIN, ...letters])];
  const found = new Set<string>();
  for (let at = 0; at <= letters.length; at++) {
    const before = letters.slice(0, at).join('');
    const after = letters.slice(at).join('');
    for (const letter of alphabet) found.add(before + letter + after);
    if (at === letters.length) continue;
    const rest = letters.slice(at + 1).join('');
    found.add(before + rest);
    for (const letter of alphabet) found.add(before + letter + rest);
    if (at + 1 < letters.length)
      found.add(before + letters[at + 1]! + letters[at]! + letters.slice(at + 2).join(''));
  }
  found.delete(word);
  return [...found];
}

/**
 * One statement giving, for each correctable word the business's word list (`catalog_words`)
 * does not hold and that is no English stop word, its closest catalog words: by trigram
 * similarity through the list's trigram index, and for short words also the one-edit
 * neighbours the list holds (primary-key lookups). Rows: `typed`, `correction`, best first,
 * and each of `all` (the query's words) with a null correction. `lexemes` is each row's word as
 * full text looks it up (`to_tsquery`'s text: empty for a stop word), so the search statement
 * can write its tsqueries as literals instead of stemming every word again in each of them, and
 * `known` says whether the word is in the list (always, for a correction), and `word_version`
 * the list's version (see `catalogWordVersions`): what the search's word cache keeps (see catalog-word-facts.ts).
 */
export function typoCorrectionsQuery(
  businessId: string,
  words: readonly string[],
  all: readonly string[] = [],
): SQL {
  const typed: string[] = [];
  const neighbours: string[] = [];
  for (const word of words) {
    if ([...word].length > EDIT_NEIGHBOURS_UP_TO) continue;
    for (const neighbour of editNeighbours(word)) {
      typed.push(word);
      neighbours.push(neighbour);
    }
  }
  return sql`WITH unknown AS (
      SELECT q.word FROM unnest(${textArray(words)}) AS q(word)
      WHERE to_tsvector('english', q.word) <> ''::tsvector
        AND NOT EXISTS (SELECT 1 FROM ${catalogWords} k
          WHERE k.business_id = ${businessId} AND k.word = q.word)
    ),
    found AS (
      SELECT u.word AS typed, c.word AS correction, c.closeness
      FROM unknown u CROSS JOIN LATERAL (
        SELECT w.word, similarity(w.word, u.word) AS closeness FROM ${catalogWords} w
        WHERE w.business_id = ${businessId} AND w.word % u.word
          AND similarity(w.word, u.word) >= ${CORRECTION_SIMILARITY}
        ORDER BY closeness DESC, w.word LIMIT ${CORRECTIONS_PER_WORD}) c
      UNION
      SELECT e.typed, w.word, similarity(w.word, e.typed)
      FROM unnest(${textArray(typed)}, ${textArray(neighbours)}) AS e(typed, neighbour)
      JOIN unknown u ON u.word = e.typed
      JOIN ${catalogWords} w ON w.business_id = ${businessId} AND w.word = e.neighbour
    )
    SELECT typed, correction, place,
      to_tsquery('english', quote_literal(correction))::text AS lexemes, true AS known,
      ${catalogWordVersion(businessId)} AS word_version FROM (
      SELECT typed, correction, row_number() OVER (
        PARTITION BY typed ORDER BY max(closeness) DESC, correction) AS place
      FROM found GROUP BY typed, correction) AS ranked
    WHERE place <= ${CORRECTIONS_PER_WORD}
    UNION ALL
    SELECT s.word, NULL, 0, to_tsquery('english', quote_literal(s.word))::text,
      EXISTS (SELECT 1 FROM ${catalogWords} k WHERE k.business_id = ${businessId} AND k.word = s.word),
      ${catalogWordVersion(businessId)}
    FROM unnest(${textArray(all)}) AS s(word)
    ORDER BY typed, place`;
}

/**
 * The business's word list version (0 before its first word): it moves whenever the list gains
 * words (see `catalogWordVersions`).
 */
export function catalogWordVersion(businessId: string): SQL {
  return sql`coalesce((SELECT c.version FROM ${catalogWordVersions} c
    WHERE c.business_id = ${businessId}), 0)::int`;
}

function textArray(values: readonly string[]): SQL {
  // One array parameter, however many values: the statement text stays the same.
  return sql`${`{${values.map((value) => `"${value}"`).join(',')}}`}::text[]`;
}
