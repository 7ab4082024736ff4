import { and, asc, eq, exists, gt, inArray, lte, sql } from 'drizzle-orm';
import type { HelpdeskRepository } from '../../core/helpdesk.js';
import { helpdeskIncomingComments, helpdeskTickets, messages } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createHelpdeskRepository({
  db,
  ids,
  clock,
}: RepositoryContext): HelpdeskRepository {
  return {
    async enqueueTicket(input) {
      const now = clock.now();
      await db
        .insert(helpdeskTickets)
        .values({ id: ids.newId(), ...input, nextAttemptAt: now, createdAt: now })
        .onConflictDoNothing();
    },
    async dueTickets(now, limit) {
      const rows = await db
        .select()
        .from(helpdeskTickets)
        .where(and(eq(helpdeskTickets.state, 'pending'), lte(helpdeskTickets.nextAttemptAt, now)))
        .orderBy(asc(helpdeskTickets.nextAttemptAt))
        .limit(limit);
      return rows;
    },
    async markCreated(id, ticketId) {
      await db
        .update(helpdeskTickets)
        .set({
          state: 'created',
          ticketId,
          lastError: null,
          attempts: sql`${helpdeskTickets.attempts} + 1`,
        })
        .where(eq(helpdeskTickets.id, id));
    },
    async markRetry(id, input) {
      await db
        .update(helpdeskTickets)
        .set({
          state: input.failed ? 'failed' : 'pending',
          lastError: input.error,
          nextAttemptAt: input.nextAttemptAt,
          attempts: sql`${helpdeskTickets.attempts} + 1`,
        })
        .where(eq(helpdeskTickets.id, id));
    },
    async ticketsWithNewReplies(limit) {
      const rows = await db
        .select()
        .from(helpdeskTickets)
        .where(
          and(
            eq(helpdeskTickets.state, 'created'),
            exists(
              db
                .select({ one: sql`1` })
                .from(messages)
                .where(
                  and(
                    eq(messages.conversationId, helpdeskTickets.conversationId),
                    eq(messages.author, 'person'),
                    gt(messages.seq, helpdeskTickets.syncedSeq),
                  ),
                ),
            ),
          ),
        )
        .limit(limit);
      return rows;
    },
    async setSyncedSeq(id, seq) {
      await db.update(helpdeskTickets).set({ syncedSeq: seq }).where(eq(helpdeskTickets.id, id));
    },
    async findByTicketId(businessId, ticketId) {
      const [row] = await db
        .select()
        .from(helpdeskTickets)
        .where(
          and(eq(helpdeskTickets.businessId, businessId), eq(helpdeskTickets.ticketId, ticketId)),
        )
        .orderBy(sql`${helpdeskTickets.createdAt} DESC`)
        .limit(1);
      return row ?? null;
    },
    async recordIncomingComment(input) {
      const inserted = await db
        .insert(helpdeskIncomingComments)
        .values({ ...input, createdAt: clock.now() })
        .onConflictDoNothing()
        .returning({ commentId: helpdeskIncomingComments.commentId });
      return inserted.length > 0;
    },
    async linkIncomingMessage(businessId, commentId, messageId) {
      await db
        .update(helpdeskIncomingComments)
        .set({ messageId })
        .where(
          and(
            eq(helpdeskIncomingComments.businessId, businessId),
            eq(helpdeskIncomingComments.commentId, commentId),
          ),
        );
    },
    async incomingMessageIds(businessId, messageIds) {
      if (messageIds.length === 0) return new Set();
      const rows = await db
        .select({ messageId: helpdeskIncomingComments.messageId })
        .from(helpdeskIncomingComments)
        .where(
          and(
            eq(helpdeskIncomingComments.businessId, businessId),
            inArray(helpdeskIncomingComments.messageId, [...messageIds]),
          ),
        );
      return new Set(rows.map((row) => row.messageId!));
    },
  };
}
