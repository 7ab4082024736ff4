import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { KnowledgeRepository } from '../../core/store.js';
import { faqEntries } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

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
      // Customers ask in sentences ("what time do you open on saturday?"): every word must not be
      // required, so the AND-query that plainto_tsquery builds is turned into an OR-query.
      const english = sql`NULLIF(replace(plainto_tsquery('english', ${query})::text, '&', '|'), '')::tsquery`;
      const simple = sql`NULLIF(replace(plainto_tsquery('simple', ${query})::text, '&', '|'), '')::tsquery`;
      const matches = sql`(${faqEntries.search} @@ ${english} OR ${faqEntries.search} @@ ${simple})`;
      const score = sql<number>`(ts_rank(${faqEntries.search}, coalesce(${english}, ''::tsquery)) + 0.5 * ts_rank(${faqEntries.search}, coalesce(${simple}, ''::tsquery)))::float8`;
      const rows = await db
        .select({
          id: faqEntries.id,
          question: faqEntries.question,
          answer: faqEntries.answer,
          score,
        })
        .from(faqEntries)
        .where(and(eq(faqEntries.businessId, businessId), sql`coalesce(${matches}, false)`))
        .orderBy(desc(score), asc(faqEntries.position))
        .limit(limit);
      return rows.map((row) => ({ ...row, score: Number(row.score) }));
    },
  };
}
