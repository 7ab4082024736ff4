import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { ChannelKind } from '../../core/channel.js';
import type { Conversation } from '../../core/conversation.js';
import { notFound } from '../../core/errors.js';
import type { ConversationRepository } from '../../core/store.js';
import { conversations } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

const PREVIEW_LENGTH = 140;

export function createConversationRepository({
  db,
  ids,
  clock,
}: RepositoryContext): ConversationRepository {
  const scoped = (businessId: string, id: string) =>
    and(eq(conversations.businessId, businessId), eq(conversations.id, id));

  async function findOpen(businessId: string, contactId: string, channel: ChannelKind) {
    const [row] = await db
      .select()
      .from(conversations)
      .where(
        and(
          eq(conversations.businessId, businessId),
          eq(conversations.contactId, contactId),
          eq(conversations.channel, channel),
          ne(conversations.state, 'resolved'),
        ),
      );
    return row ? toConversation(row) : null;
  }

  return {
    async findOrOpen(businessId, contactId, channel) {
      const open = await findOpen(businessId, contactId, channel);
      if (open) return open;
      const now = clock.now();
      const inserted = await db
        .insert(conversations)
        .values({
          id: ids.newId(),
          businessId,
          contactId,
          channel,
          createdAt: now,
          updatedAt: now,
          lastMessageAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return toConversation(inserted[0]);
      // Another message of the same contact opened it first (the partial unique index decided).
      const winner = await findOpen(businessId, contactId, channel);
      if (!winner) throw new Error('open conversation vanished during creation');
      return winner;
    },
    async getById(businessId, id) {
      const [row] = await db.select().from(conversations).where(scoped(businessId, id));
      return row ? toConversation(row) : null;
    },
    async getForUpdate(businessId, id) {
      const [row] = await db
        .select()
        .from(conversations)
        .where(scoped(businessId, id))
        .for('update');
      return row ? toConversation(row) : null;
    },
    async list(businessId, filter = {}) {
      const rows = await db
        .select()
        .from(conversations)
        .where(
          and(
            eq(conversations.businessId, businessId),
            filter.state ? eq(conversations.state, filter.state) : undefined,
          ),
        )
        .orderBy(
          desc(sql`(${conversations.state} = 'waiting_for_person')`),
          desc(sql`(${conversations.unreadCount} > 0)`),
          desc(conversations.lastMessageAt),
        )
        .limit(filter.limit ?? 100);
      return rows.map(toConversation);
    },
    async listForContact(businessId, contactId) {
      const rows = await db
        .select()
        .from(conversations)
        .where(
          and(eq(conversations.businessId, businessId), eq(conversations.contactId, contactId)),
        )
        .orderBy(desc(conversations.lastMessageAt));
      return rows.map(toConversation);
    },
    async noteMessage(businessId, id, message, options = {}) {
      const inbound = message.direction === 'inbound';
      const fromCustomer = inbound && message.author === 'customer';
      const owesTurn = inbound && options.owesTurn !== false;
      const [row] = await db
        .update(conversations)
        .set({
          lastMessageAt: message.createdAt,
          lastMessagePreview: message.text.slice(0, PREVIEW_LENGTH),
          updatedAt: clock.now(),
          ...(inbound ? { unreadCount: sql`${conversations.unreadCount} + 1` } : {}),
          // The customer waits for a person from their first unanswered message while a person
          // is due to answer; a person's reply ends the wait.
          ...(fromCustomer
            ? {
                waitingSince: sql`CASE WHEN ${conversations.state} IN ('waiting_for_person', 'person') THEN COALESCE(${conversations.waitingSince}, ${message.createdAt.toISOString()}::timestamptz) ELSE ${conversations.waitingSince} END`,
              }
            : {}),
          ...(message.author === 'person' ? { waitingSince: null } : {}),
          ...(owesTurn
            ? { lastInboundSeq: sql`GREATEST(${conversations.lastInboundSeq}, ${message.seq})` }
            : {}),
        })
        .where(scoped(businessId, id))
        .returning();
      if (!row) throw notFound('Conversation');
      return toConversation(row);
    },
    async transition(businessId, id, change) {
      const now = clock.now();
      const [row] = await db
        .update(conversations)
        .set({
          state: change.to,
          updatedAt: now,
          ...(change.to === 'waiting_for_person'
            ? {
                waitingSince: sql`COALESCE(${conversations.waitingSince}, ${now.toISOString()}::timestamptz)`,
              }
            : {}),
          ...(change.to === 'agent' || change.to === 'resolved' ? { waitingSince: null } : {}),
          ...(change.assignedUserId !== undefined ? { assignedUserId: change.assignedUserId } : {}),
          ...(change.handoffReason !== undefined ? { handoffReason: change.handoffReason } : {}),
          // Whatever the customer wrote while a person held the thread is not the agent's to
          // answer when it gets the thread back: skip the cursor past it.
          // GREATEST: a finished turn may already have moved the cursor past the newest inbound seq.
          ...(change.to === 'agent'
            ? {
                agentCursor: sql`GREATEST(${conversations.agentCursor}, ${conversations.lastInboundSeq})`,
              }
            : {}),
        })
        .where(and(scoped(businessId, id), inArray(conversations.state, [...change.from])))
        .returning();
      return row ? toConversation(row) : null;
    },
    async markRead(businessId, id) {
      await db.update(conversations).set({ unreadCount: 0 }).where(scoped(businessId, id));
    },
    async claimPendingTurn(now, leaseUntil) {
      const candidate = db
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            eq(conversations.state, 'agent'),
            gt(conversations.lastInboundSeq, conversations.agentCursor),
            or(isNull(conversations.turnLeaseUntil), lt(conversations.turnLeaseUntil, now)),
          ),
        )
        .orderBy(asc(conversations.lastMessageAt))
        .limit(1)
        .for('update', { skipLocked: true });
      const [row] = await db
        .update(conversations)
        .set({ turnLeaseUntil: leaseUntil })
        .where(inArray(conversations.id, candidate))
        .returning();
      return row ? toConversation(row) : null;
    },
    async finishTurn(businessId, id, result) {
      await db
        .update(conversations)
        .set({
          agentCursor: sql`GREATEST(${conversations.agentCursor}, ${result.handledSeq})`,
          turnLeaseUntil: null,
          lastFailure: result.failure,
          updatedAt: clock.now(),
        })
        .where(scoped(businessId, id));
    },
    async releaseTurn(businessId, id, retryAt = null) {
      await db.update(conversations).set({ turnLeaseUntil: retryAt }).where(scoped(businessId, id));
    },
  };
}

export function toConversation(row: typeof conversations.$inferSelect): Conversation {
  return {
    id: row.id,
    businessId: row.businessId,
    contactId: row.contactId,
    channel: row.channel as ChannelKind,
    state: row.state,
    assignedUserId: row.assignedUserId,
    unreadCount: row.unreadCount,
    lastMessageAt: row.lastMessageAt,
    lastMessagePreview: row.lastMessagePreview,
    lastInboundSeq: row.lastInboundSeq,
    agentCursor: row.agentCursor,
    lastFailure: row.lastFailure,
    handoffReason: row.handoffReason,
    waitingSince: row.waitingSince,
    createdAt: row.createdAt,
  };
}
