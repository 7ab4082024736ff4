import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { ConversationTagRepository } from '../../core/inbox-store.js';
import { conversationTags } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createConversationTagRepository({
  db,
  clock,
}: RepositoryContext): ConversationTagRepository {
  return {
    async add(businessId, conversationId, tag) {
      await db
        .insert(conversationTags)
        .values({ businessId, conversationId, tag, createdAt: clock.now() })
        .onConflictDoNothing();
    },
    async remove(businessId, conversationId, tag) {
      const removed = await db
        .delete(conversationTags)
        .where(
          and(
            eq(conversationTags.businessId, businessId),
            eq(conversationTags.conversationId, conversationId),
            eq(conversationTags.tag, tag),
          ),
        )
        .returning({ tag: conversationTags.tag });
      return removed.length > 0;
    },
    async forConversations(businessId, conversationIds) {
      const tags = new Map<string, string[]>();
      if (conversationIds.length === 0) return tags;
      const rows = await db
        .select({ conversationId: conversationTags.conversationId, tag: conversationTags.tag })
        .from(conversationTags)
        .where(
          and(
            eq(conversationTags.businessId, businessId),
            inArray(conversationTags.conversationId, [...conversationIds]),
          ),
        )
        .orderBy(asc(conversationTags.tag));
      for (const row of rows) {
        const list = tags.get(row.conversationId) ?? [];
        list.push(row.tag);
        tags.set(row.conversationId, list);
      }
      return tags;
    },
    async listForBusiness(businessId) {
      const count = sql<number>`count(*)::int`;
      const rows = await db
        .select({ tag: conversationTags.tag, conversations: count })
        .from(conversationTags)
        .where(eq(conversationTags.businessId, businessId))
        .groupBy(conversationTags.tag)
        .orderBy(desc(count), asc(conversationTags.tag));
      return rows.map((row) => ({ tag: row.tag, conversations: Number(row.conversations) }));
    },
  };
}
