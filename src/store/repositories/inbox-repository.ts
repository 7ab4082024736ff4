import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { InboxQuery, InboxRepository, InboxView } from '../../core/inbox-store.js';
import { INBOX_VIEWS } from '../../core/inbox-store.js';
import { assignmentRotation, conversations, conversationTags } from '../schema/index.js';
import type { RepositoryContext } from './context.js';
import { toConversation } from './conversation-repository.js';

export function createInboxRepository({ db, clock }: RepositoryContext): InboxRepository {
  return {
    async search(businessId, viewerId, query) {
      const rows = await db
        .select()
        .from(conversations)
        .where(
          and(
            ...filters(businessId, query),
            query.view ? viewCondition(query.view, viewerId) : undefined,
          ),
        )
        .orderBy(
          desc(sql`(${conversations.state} = 'waiting_for_person')`),
          desc(sql`(${conversations.unreadCount} > 0)`),
          desc(conversations.lastMessageAt),
        )
        .limit(query.limit ?? 100);
      return rows.map(toConversation);
    },
    async countViews(businessId, viewerId, query) {
      const columns = Object.fromEntries(
        INBOX_VIEWS.flatMap((view) => {
          const condition = viewCondition(view, viewerId) ?? sql`true`;
          return [
            [`${view}Total`, sql<number>`count(*) FILTER (WHERE ${condition})::int`],
            [
              `${view}Unread`,
              sql<number>`count(*) FILTER (WHERE ${condition} AND ${conversations.unreadCount} > 0)::int`,
            ],
          ];
        }),
      ) as Record<string, SQL<number>>;
      const [row] = await db
        .select(columns)
        .from(conversations)
        .where(and(...filters(businessId, query)));
      const counts = {} as Record<InboxView, { conversations: number; unread: number }>;
      for (const view of INBOX_VIEWS) {
        counts[view] = {
          conversations: Number(row?.[`${view}Total`] ?? 0),
          unread: Number(row?.[`${view}Unread`] ?? 0),
        };
      }
      return counts;
    },
    async assign(businessId, id, userId) {
      const [row] = await db
        .update(conversations)
        .set({ assignedUserId: userId, updatedAt: clock.now() })
        .where(and(eq(conversations.businessId, businessId), eq(conversations.id, id)))
        .returning();
      return row ? toConversation(row) : null;
    },
    async assignWaiting(businessId, id, userId, at) {
      const [row] = await db
        .update(conversations)
        .set({ assignedUserId: userId, updatedAt: at })
        .where(
          and(
            eq(conversations.businessId, businessId),
            eq(conversations.id, id),
            eq(conversations.state, 'waiting_for_person'),
            isNull(conversations.assignedUserId),
          ),
        )
        .returning();
      if (!row) return null;
      await db
        .insert(assignmentRotation)
        .values({ businessId, userId, lastAssignedAt: at })
        .onConflictDoUpdate({
          target: [assignmentRotation.businessId, assignmentRotation.userId],
          set: { lastAssignedAt: at },
        });
      return toConversation(row);
    },
    async leastRecentlyAssigned(businessId, userIds) {
      if (userIds.length === 0) return null;
      const rows = await db
        .select({ userId: assignmentRotation.userId, at: assignmentRotation.lastAssignedAt })
        .from(assignmentRotation)
        .where(
          and(
            eq(assignmentRotation.businessId, businessId),
            inArray(assignmentRotation.userId, [...userIds]),
          ),
        );
      const last = new Map(rows.map((row) => [row.userId, row.at.getTime()]));
      // Never assigned first; ties (and the never-assigned) in a stable order, by id.
      const ordered = [...userIds].sort(
        (a, b) => (last.get(a) ?? -Infinity) - (last.get(b) ?? -Infinity) || a.localeCompare(b),
      );
      return ordered[0] ?? null;
    },
  };
}

function filters(businessId: string, query: Omit<InboxQuery, 'view'>): Array<SQL | undefined> {
  const search = query.search?.trim() ?? '';
  return [
    eq(conversations.businessId, businessId),
    query.state ? eq(conversations.state, query.state) : undefined,
    query.channel ? eq(conversations.channel, query.channel) : undefined,
    query.tag
      ? sql`EXISTS (SELECT 1 FROM ${conversationTags} t WHERE t.conversation_id = ${conversations.id} AND t.tag = ${query.tag})`
      : undefined,
    search === '' ? undefined : searchCondition(businessId, search),
  ];
}

/**
 * A conversation matches when one of its messages contains the words (ILIKE over a trigram
 * index), or its contact's name, e-mail or phone does; a phone matches by its digits alone, so
 * "+44 7700 900" finds "447700900123".
 */
function searchCondition(businessId: string, search: string): SQL {
  const pattern = `%${escapeLike(search)}%`;
  const digits = search.replace(/\D/g, '');
  const phoneLike = /^[\d\s()+.-]+$/.test(search) && digits.length >= 3;
  // IN (subquery), not a correlated EXISTS: each subquery runs once (the messages one as a
  // bitmap scan of the trigram index) and is probed as a hash, instead of once per conversation.
  return sql`(
    ${conversations.id} IN (SELECT m.conversation_id FROM messages m
      WHERE m.business_id = ${businessId} AND m.text ILIKE ${pattern})
    OR ${conversations.contactId} IN (SELECT c.id FROM contacts c WHERE c.business_id = ${businessId}
      AND (c.display_name ILIKE ${pattern} OR c.email ILIKE ${pattern} OR c.phone ILIKE ${pattern}
        ${phoneLike ? sql`OR regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g') LIKE ${`%${digits}%`}` : sql``}))
  )`;
}

function viewCondition(view: InboxView, viewerId: string | null): SQL | undefined {
  switch (view) {
    case 'all':
      return undefined;
    case 'waiting':
      return sql`${conversations.state} = 'waiting_for_person'`;
    case 'mine':
      return viewerId ? sql`${conversations.assignedUserId} = ${viewerId}` : sql`false`;
    case 'unassigned':
      return and(
        inArray(conversations.state, ['waiting_for_person', 'person']),
        isNull(conversations.assignedUserId),
      );
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}
