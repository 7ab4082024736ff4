import { asc, eq, sql } from 'drizzle-orm';
import type { KnowledgeRepository } from '../../core/store.js';
import { faqEntries } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

interface FaqHitRow extends Record<string, unknown> {
  id: string;
  question: string;
  answer: string;
  score: number;
}

export function createKnowledgeRepository({
  db,
  ids,
  clock,
}: RepositoryContext): KnowledgeRepository {
  return {
    async replaceFaq(businessId, entries) {
      await db.delete(faqEntries).where(eq(faqEntries.businessId, businessId));
      if (entries.length === 0) return;
      const createdAt = clock.now();
      await db.insert(faqEntries).values(
        entries.map((entry, position) => ({
          id: ids.newId(),
          businessId,
          question: entry.question,
          answer: entry.answer,
          position,
          createdAt,
        })),
      );
    },
    async listFaq(businessId) {
      const rows = await db
        .select({
          id: faqEntries.id,
          businessId: faqEntries.businessId,
          question: faqEntries.question,
          answer: faqEntries.answer,
        })
        .from(faqEntries)
        .where(eq(faqEntries.businessId, businessId))
        .orderBy(asc(faqEntries.position));
      return rows;
    },
    async searchFaq(businessId, query, limit) {
      // Customers ask in sentences ("do you repair e-bikes?"): no entry holds every word, and in
      // a bike shop's FAQ "bike" is everywhere while "repair" is in one entry. So an entry scores
      // the rarity (IDF) of each query word it holds, doubled when the word is in its question.
      // Query words are English-stemmed without stop words; a hyphenated compound counts through
      // its parts only (else "e-bikes" would count three times), and one-letter parts are noise.
      // A full scan of the business's FAQ: fine for hundreds of entries; documents get their own
      // index with the knowledge base.
      const result = await db.execute<FaqHitRow>(sql`
        WITH terms AS (
          SELECT DISTINCT lexeme
          FROM ts_debug('english', ${query}) AS token, unnest(token.lexemes) AS lexeme
          WHERE token.alias NOT IN ('asciihword', 'hword', 'numhword') AND length(lexeme) > 1
        ),
        entries AS (
          SELECT id, question, answer, position,
                 tsvector_to_array(search) AS lexemes,
                 tsvector_to_array(to_tsvector('english', question)) AS question_lexemes
          FROM ${faqEntries}
          WHERE business_id = ${businessId}
        ),
        total AS (SELECT count(*)::float8 AS n FROM entries),
        -- An entry holds a term when it has the same stem, or when the two stems share a prefix
        -- of five letters or more: PostgreSQL stems "delivery" and "deliver" differently.
        hits AS (
          SELECT entries.id, terms.lexeme,
                 EXISTS (
                   SELECT 1 FROM unnest(entries.question_lexemes) AS word
                   WHERE word = terms.lexeme
                      OR (least(length(word), length(terms.lexeme)) >= 5
                          AND (starts_with(word, terms.lexeme) OR starts_with(terms.lexeme, word)))
                 ) AS in_question
          FROM terms
          JOIN entries ON EXISTS (
            SELECT 1 FROM unnest(entries.lexemes) AS word
            WHERE word = terms.lexeme
               OR (least(length(word), length(terms.lexeme)) >= 5
                   AND (starts_with(word, terms.lexeme) OR starts_with(terms.lexeme, word)))
          )
        ),
        frequency AS (
          SELECT lexeme, count(*)::float8 AS entry_count FROM hits GROUP BY lexeme
        )
        SELECT entries.id, entries.question, entries.answer,
               sum(ln(1 + total.n / frequency.entry_count)
                   * CASE WHEN hits.in_question THEN 2 ELSE 1 END
               )::float8 AS score
        FROM hits
        JOIN entries ON entries.id = hits.id
        JOIN frequency ON frequency.lexeme = hits.lexeme
        CROSS JOIN total
        GROUP BY entries.id, entries.question, entries.answer, entries.position
        ORDER BY score DESC, entries.position ASC
        LIMIT ${limit}
      `);
      return (result as { rows: FaqHitRow[] }).rows.map((row) => ({
        id: row.id,
        question: row.question,
        answer: row.answer,
        score: Number(row.score),
      }));
    },
  };
}
