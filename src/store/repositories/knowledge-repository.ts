import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { KnowledgeHit, KnowledgeRepository } from '../../core/store.js';
import { faqEntries } from '../schema/index.js';
import type { Database } from '../database.js';
import type { RepositoryContext } from './context.js';
import { vectorAvailable } from './knowledge-document-repository.js';

// Candidates each ranking offers to the fusion; the FAQ is small, so a few dozen is plenty.
const CANDIDATES = 20;
const FUSION_K = 60;

const entryColumns = {
  id: faqEntries.id,
  businessId: faqEntries.businessId,
  question: faqEntries.question,
  answer: faqEntries.answer,
  source: faqEntries.source,
  fileQuestion: faqEntries.fileQuestion,
  updatedAt: faqEntries.updatedAt,
};

function live(businessId: string, id: string) {
  return and(
    eq(faqEntries.businessId, businessId),
    eq(faqEntries.id, id),
    isNull(faqEntries.deletedAt),
  );
}

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
      const now = clock.now();
      await db.insert(faqEntries).values(
        entries.map((entry, position) => ({
          id: ids.newId(),
          businessId,
          question: entry.question,
          answer: entry.answer,
          fileQuestion: entry.question,
          position,
          createdAt: now,
          updatedAt: now,
        })),
      );
    },
    async listFaq(businessId) {
      const rows = await db
        .select(entryColumns)
        .from(faqEntries)
        .where(and(eq(faqEntries.businessId, businessId), isNull(faqEntries.deletedAt)))
        .orderBy(asc(faqEntries.position), asc(faqEntries.createdAt), asc(faqEntries.id));
      return rows;
    },
    async lockFaqWrites(businessId) {
      // A transaction-scoped advisory lock keyed by the business: released at commit or rollback.
      await db.execute(
        sql`SELECT pg_advisory_xact_lock(hashtextextended(${`faq:${businessId}`}, 0))`,
      );
    },
    async listFaqRecords(businessId) {
      return db
        .select({ ...entryColumns, position: faqEntries.position, deletedAt: faqEntries.deletedAt })
        .from(faqEntries)
        .where(eq(faqEntries.businessId, businessId))
        .orderBy(asc(faqEntries.position), asc(faqEntries.createdAt), asc(faqEntries.id));
    },
    async getFaq(businessId, id) {
      if (!isUuid(id)) return null;
      const [row] = await db.select(entryColumns).from(faqEntries).where(live(businessId, id));
      return row ?? null;
    },
    async createFaq(businessId, input) {
      const now = clock.now();
      const [row] = await db
        .insert(faqEntries)
        .values({
          id: ids.newId(),
          businessId,
          question: input.question,
          answer: input.answer,
          source: 'console',
          // After every entry, tombstones included, so a new entry never jumps the queue.
          position: sql`(SELECT coalesce(max(${faqEntries.position}) + 1, 0) FROM ${faqEntries} WHERE ${faqEntries.businessId} = ${businessId})`,
          createdAt: now,
          updatedAt: now,
        })
        .returning(entryColumns);
      return row!;
    },
    async updateFaq(businessId, id, input) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .update(faqEntries)
        .set({
          question: input.question,
          answer: input.answer,
          source: 'console',
          embedding: null,
          // An entry the file wrote before file_question existed is still the file's entry.
          fileQuestion: sql`CASE WHEN ${faqEntries.source} = 'file' THEN coalesce(${faqEntries.fileQuestion}, ${faqEntries.question}) ELSE ${faqEntries.fileQuestion} END`,
          updatedAt: clock.now(),
        })
        .where(live(businessId, id))
        .returning(entryColumns);
      return row ?? null;
    },
    async deleteFaq(businessId, id) {
      if (!isUuid(id)) return false;
      const [row] = await db
        .select({ source: faqEntries.source, fileQuestion: faqEntries.fileQuestion })
        .from(faqEntries)
        .where(live(businessId, id))
        .for('update');
      if (!row) return false;
      if (row.source === 'console' && row.fileQuestion === null) {
        await db.delete(faqEntries).where(live(businessId, id));
        return true;
      }
      const now = clock.now();
      await db
        .update(faqEntries)
        .set({
          deletedAt: now,
          updatedAt: now,
          fileQuestion: sql`coalesce(${faqEntries.fileQuestion}, ${faqEntries.question})`,
        })
        .where(live(businessId, id));
      return true;
    },
    async writeFileFaq(businessId, changes) {
      const now = clock.now();
      if (changes.remove.length > 0) {
        await db
          .delete(faqEntries)
          .where(
            and(eq(faqEntries.businessId, businessId), inArray(faqEntries.id, [...changes.remove])),
          );
      }
      for (const entry of changes.update) {
        await db
          .update(faqEntries)
          .set({
            answer: entry.answer,
            position: entry.position,
            fileQuestion: entry.fileQuestion,
            embedding: null,
            updatedAt: now,
          })
          .where(
            and(
              eq(faqEntries.businessId, businessId),
              eq(faqEntries.id, entry.id),
              eq(faqEntries.source, 'file'),
            ),
          );
      }
      if (changes.insert.length > 0) {
        await db.insert(faqEntries).values(
          changes.insert.map((entry) => ({
            id: ids.newId(),
            businessId,
            question: entry.question,
            answer: entry.answer,
            fileQuestion: entry.question,
            position: entry.position,
            createdAt: now,
            updatedAt: now,
          })),
        );
      }
    },
    async faqWithoutEmbedding(businessId, limit) {
      return db
        .select({ id: faqEntries.id, question: faqEntries.question, answer: faqEntries.answer })
        .from(faqEntries)
        .where(
          and(
            eq(faqEntries.businessId, businessId),
            isNull(faqEntries.deletedAt),
            isNull(faqEntries.embedding),
          ),
        )
        .orderBy(asc(faqEntries.updatedAt), asc(faqEntries.id))
        .limit(limit);
    },
    async saveFaqEmbeddings(businessId, entries) {
      for (const entry of entries) {
        // An entry rewritten while its old words were being embedded keeps no vector of them.
        await db
          .update(faqEntries)
          .set({ embedding: entry.embedding })
          .where(
            and(
              eq(faqEntries.businessId, businessId),
              eq(faqEntries.id, entry.id),
              eq(faqEntries.question, entry.question),
              eq(faqEntries.answer, entry.answer),
            ),
          );
      }
    },
    async searchFaq(businessId, query, limit, embedding) {
      const byWords = await searchFaqWords(db, businessId, query, embedding ? CANDIDATES : limit);
      if (!embedding || embedding.length === 0 || !(await vectorAvailable(db))) {
        return byWords.slice(0, limit);
      }
      const byMeaning = await searchFaqVector(db, businessId, embedding);
      // Reciprocal-rank fusion, as for passages: neither score scale wins.
      const fused = new Map<string, { hit: KnowledgeHit; score: number }>();
      for (const list of [byWords, byMeaning]) {
        list.forEach((hit, rank) => {
          const entry = fused.get(hit.id) ?? { hit, score: 0 };
          entry.score += 1 / (FUSION_K + rank + 1);
          fused.set(hit.id, entry);
        });
      }
      return [...fused.values()]
        .sort((a, b) => b.score - a.score || a.hit.id.localeCompare(b.hit.id))
        .slice(0, limit)
        .map(({ hit, score }) => ({ ...hit, score }));
    },
  };
}

async function searchFaqWords(
  db: Database,
  businessId: string,
  query: string,
  limit: number,
): Promise<KnowledgeHit[]> {
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
          WHERE business_id = ${businessId} AND deleted_at IS NULL
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
  return toFaqHits(result);
}

async function searchFaqVector(
  db: Database,
  businessId: string,
  embedding: readonly number[],
): Promise<KnowledgeHit[]> {
  const literal = `[${embedding.map((value) => Number(value).toString()).join(',')}]`;
  const result = await db.execute<FaqHitRow>(sql`
    SELECT id, question, answer, 1 - (embedding::vector <=> ${literal}::vector) AS score
    FROM ${faqEntries}
    WHERE business_id = ${businessId} AND deleted_at IS NULL AND embedding IS NOT NULL
      AND array_length(embedding, 1) = ${embedding.length}
    ORDER BY embedding::vector <=> ${literal}::vector, id
    LIMIT ${CANDIDATES}
  `);
  return toFaqHits(result);
}

function toFaqHits(result: unknown): KnowledgeHit[] {
  return (result as { rows: FaqHitRow[] }).rows.map((row) => ({
    id: row.id,
    question: row.question,
    answer: row.answer,
    score: Number(row.score),
  }));
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
