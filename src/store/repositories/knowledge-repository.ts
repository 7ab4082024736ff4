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
      // Customers ask in sentences ("what time do you open on saturday?"): no entry holds every
      // word, so plainto_tsquery's AND-query becomes an OR-query. Its text form joins operands
      // with ' & ' and a lexeme never contains a space, so this replaces operators only (a URL's
      // '&' stays). The english parser drops stop words: a query of only those matches nothing.
      const english = sql`NULLIF(replace(plainto_tsquery('english', ${query})::text, ' & ', ' | '), '')::tsquery`;
      // The same words unstemmed, to rank exact wording above a shared stem. Stop words are
      // dropped here too, or "what do you…" would favour every entry phrased as a question.
      const exactWords = sql`(SELECT coalesce(string_agg(word, ' '), '') FROM unnest(tsvector_to_array(to_tsvector('simple', ${query}))) AS word WHERE to_tsvector('english', word) <> ''::tsvector)`;
      const exact = sql`NULLIF(replace(plainto_tsquery('simple', ${exactWords})::text, ' & ', ' | '), '')::tsquery`;
      // An entry holding an exact word also holds its stem: the english query alone decides hits.
      const matches = sql`${faqEntries.search} @@ ${english}`;
      const score = sql<number>`(ts_rank(${faqEntries.search}, coalesce(${english}, ''::tsquery)) + 0.5 * ts_rank(${faqEntries.search}, coalesce(${exact}, ''::tsquery)))::float8`;
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
