import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type {
  KnowledgeDocument,
  KnowledgeDocumentRepository,
  PassageHit,
} from '../../core/knowledge.js';
import type { Database } from '../database.js';
import { refreshStatistics } from '../refresh-statistics.js';
import { knowledgeDocuments, knowledgePassages } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

// Reciprocal-rank fusion, as for products: ranks are fused, never raw scores.
const FUSION_K = 60;
const CANDIDATES = 100;
const RANKED_PER_TIER = 200;
// Rows per INSERT: 7 parameters a passage stays far below PostgreSQL's 65,535.
const INSERT_BATCH = 500;

interface HitRow extends Record<string, unknown> {
  id: string;
  document_id: string;
  document_title: string;
  section: string;
  page: number | null;
  text: string;
  score: number;
}

const hasVector = new WeakMap<object, Promise<boolean>>();

export function createKnowledgeDocumentRepository(
  context: RepositoryContext,
): KnowledgeDocumentRepository {
  const { db, ids, clock } = context;
  return {
    async replace(businessId, input) {
      const now = clock.now();
      const stored = await db.transaction(async (tx) => {
        // The upsert locks the document's row: two uploads of one name run one after the other,
        // and a reader sees the old passages or the new ones, never a mix.
        const [row] = await tx
          .insert(knowledgeDocuments)
          .values({
            id: ids.newId(),
            businessId,
            name: input.name,
            title: input.title,
            format: input.format,
            byteSize: input.byteSize,
            passageCount: input.passages.length,
            status: input.status,
            statusDetail: input.statusDetail,
            embeddingModel: input.embeddingModel,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: [knowledgeDocuments.businessId, knowledgeDocuments.name],
            set: {
              title: input.title,
              format: input.format,
              byteSize: input.byteSize,
              passageCount: input.passages.length,
              status: input.status,
              statusDetail: input.statusDetail,
              embeddingModel: input.embeddingModel,
              updatedAt: now,
            },
          })
          .returning();
        const document = row!;
        await tx.delete(knowledgePassages).where(eq(knowledgePassages.documentId, document.id));
        for (let start = 0; start < input.passages.length; start += INSERT_BATCH) {
          await tx.insert(knowledgePassages).values(
            input.passages.slice(start, start + INSERT_BATCH).map((passage, index) => ({
              id: ids.newId(),
              businessId,
              documentId: document.id,
              position: start + index,
              section: passage.section,
              page: passage.page,
              text: passage.text,
              embedding: passage.embedding ? [...passage.embedding] : null,
            })),
          );
        }
        return toDocument(document);
      });
      await refreshStatistics(db, ['knowledge_passages']);
      return stored;
    },
    async list(businessId) {
      const rows = await db
        .select()
        .from(knowledgeDocuments)
        .where(eq(knowledgeDocuments.businessId, businessId))
        .orderBy(asc(knowledgeDocuments.title), asc(knowledgeDocuments.name));
      return rows.map(toDocument);
    },
    async getById(businessId, id) {
      if (!isUuid(id)) return null;
      const [row] = await db
        .select()
        .from(knowledgeDocuments)
        .where(and(eq(knowledgeDocuments.businessId, businessId), eq(knowledgeDocuments.id, id)));
      return row ? toDocument(row) : null;
    },
    async passages(businessId, id) {
      if (!isUuid(id)) return [];
      return db
        .select({
          position: knowledgePassages.position,
          section: knowledgePassages.section,
          page: knowledgePassages.page,
          text: knowledgePassages.text,
        })
        .from(knowledgePassages)
        .where(
          and(eq(knowledgePassages.businessId, businessId), eq(knowledgePassages.documentId, id)),
        )
        .orderBy(asc(knowledgePassages.position));
    },
    async delete(businessId, id) {
      if (!isUuid(id)) return false;
      // Passages go with it (ON DELETE CASCADE), in the same statement.
      const deleted = await db
        .delete(knowledgeDocuments)
        .where(and(eq(knowledgeDocuments.businessId, businessId), eq(knowledgeDocuments.id, id)))
        .returning({ id: knowledgeDocuments.id });
      return deleted.length > 0;
    },
    async search(businessId, { query, embedding, limit }) {
      const words = searchWords(query);
      const useVector =
        embedding !== undefined && embedding.length > 0 && (await vectorAvailable(db));
      if (words.length === 0 && !useVector) return [];
      // Words alone: the text ranking is the ranking, so only the first `limit` are ranked out.
      const fused = useVector
        ? sql`SELECT id, sum(1.0 / (${FUSION_K} + rank))::float8 AS score
            FROM (${sql.join(
              [
                ...(words.length > 0 ? [fullTextCandidates(businessId, words, CANDIDATES)] : []),
                vectorCandidates(businessId, embedding),
              ],
              sql` UNION ALL `,
            )}) AS ranked
            GROUP BY id ORDER BY score DESC, id LIMIT ${limit}`
        : sql`SELECT id, 1.0::float8 / (${FUSION_K} + rank) AS score
            FROM ${fullTextCandidates(businessId, words, limit)} AS text_hits`;
      const result = await db.execute<HitRow>(sql`
        WITH fused AS (${fused})
        SELECT p.id, p.document_id, d.title AS document_title, p.section, p.page, p.text,
               fused.score
        FROM fused
        JOIN ${knowledgePassages} p ON p.id = fused.id
        JOIN ${knowledgeDocuments} d ON d.id = p.document_id
        ORDER BY fused.score DESC, p.id
      `);
      return (result as { rows: HitRow[] }).rows.map((row): PassageHit => ({
        id: row.id,
        documentId: row.document_id,
        documentTitle: row.document_title,
        section: row.section,
        page: row.page === null ? null : Number(row.page),
        text: row.text,
        score: Number(row.score),
      }));
    },
  };
}

/** Letters and digits only: nothing a customer (or a model) types reaches the query syntax. */
export function searchWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].slice(0, 16);
}

function wordsQuery(words: readonly string[], operator: '|' | '&'): SQL {
  // A quoted lexeme is taken literally by to_tsquery; the words hold no quotes (see searchWords).
  return sql`to_tsquery('english', ${words.map((word) => `'${word}'`).join(` ${operator} `)})`;
}

/**
 * Passages holding all the words first, then those holding some; within each, by ts_rank
 * (how often and where the words occur), heading matches weighted over body matches. A GIN index cannot hand
 * out passages best first, so each tier ranks at most RANKED_PER_TIER of its matches: a word
 * found in more passages than that (a shop's "bike") says little on its own, and the customer's
 * other words pick the passage.
 */
function fullTextCandidates(businessId: string, words: readonly string[], limit: number): SQL {
  // The queries are written out in each scan (not shared through a CTE) so the planner sees
  // them: a word in most passages is then found by reading passages until enough match,
  // instead of through a bitmap of every passage holding it.
  const anyWord = wordsQuery(words, '|');
  const allWords = wordsQuery(words, '&');
  const partial =
    words.length > 1
      ? sql`UNION ALL (SELECT p.id, p.search, 1 AS tier FROM ${knowledgePassages} p
           WHERE p.business_id = ${businessId} AND p.search @@ ${anyWord}
             AND NOT (p.search @@ ${allWords}) LIMIT ${RANKED_PER_TIER})`
      : sql``;
  return sql`(SELECT id, rank() OVER (ORDER BY tier DESC, score DESC, id) AS rank FROM (
      SELECT c.id, c.tier, ts_rank(c.search, ${anyWord}, 1) AS score
      FROM (
        (SELECT p.id, p.search, 2 AS tier FROM ${knowledgePassages} p
         WHERE p.business_id = ${businessId} AND p.search @@ ${allWords} LIMIT ${RANKED_PER_TIER})
        ${partial}
      ) AS c
      ORDER BY c.tier DESC, score DESC, c.id LIMIT ${limit}) AS text_hits)`;
}

function vectorCandidates(businessId: string, embedding: readonly number[]): SQL {
  const literal = `[${embedding.map((value) => Number(value).toString()).join(',')}]`;
  return sql`(SELECT id, rank() OVER (ORDER BY distance, id) AS rank FROM (
      SELECT p.id, p.embedding::vector <=> ${literal}::vector AS distance
      FROM ${knowledgePassages} p
      WHERE p.business_id = ${businessId} AND p.embedding IS NOT NULL
        AND array_length(p.embedding, 1) = ${embedding.length}
      ORDER BY distance LIMIT ${CANDIDATES}) AS vector_hits)`;
}

/** Whether pgvector is installed (PGlite ships it; Debian's PostgreSQL may not). */
export function vectorAvailable(db: Database): Promise<boolean> {
  // Keyed by the database object: a transaction's handle asks once for itself.
  let known = hasVector.get(db);
  if (!known) {
    known = db
      .execute<{
        present: boolean;
      }>(sql`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS present`)
      .then(
        (result) => (result as { rows: Array<{ present: boolean }> }).rows[0]?.present === true,
      );
    hasVector.set(db, known);
  }
  return known;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function toDocument(row: typeof knowledgeDocuments.$inferSelect): KnowledgeDocument {
  return {
    id: row.id,
    businessId: row.businessId,
    name: row.name,
    title: row.title,
    format: row.format,
    byteSize: row.byteSize,
    passageCount: row.passageCount,
    status: row.status,
    statusDetail: row.statusDetail,
    embeddingModel: row.embeddingModel,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
