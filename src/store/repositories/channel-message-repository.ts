import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { DeliveryStatus } from '../../core/message.js';
import type { ChannelMessageRepository } from '../../core/channel-store.js';
import { channelDeliveries, deliveryReports, messages } from '../schema/index.js';
import type { RepositoryContext } from './context.js';
import { toMessage } from './message-repository.js';
import { isUniqueViolation } from './unique-violation.js';

/**
 * Statuses only move forward. `failed` ranks above `delivered` (a provider may give up after
 * delivering to a device that then rejects it) but below `read`: a read message was delivered.
 */
const STATUS_RANK: Record<DeliveryStatus, number> = {
  received: 0,
  pending: 0,
  sent: 1,
  delivered: 2,
  failed: 3,
  read: 4,
};

const rankOfStatusColumn = sql`(CASE ${messages.status}
  WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 3 WHEN 'read' THEN 4 ELSE 0 END)`;

export function createChannelMessageRepository({
  db,
  ids,
  clock,
}: RepositoryContext): ChannelMessageRepository {
  return {
    async findByChannelMessageId(businessId, channel, channelMessageId) {
      const [own] = await db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.businessId, businessId),
            eq(messages.channel, channel),
            eq(messages.channelMessageId, channelMessageId),
          ),
        );
      if (own) return toMessage(own);
      const [part] = await db
        .select({ message: messages })
        .from(channelDeliveries)
        .innerJoin(messages, eq(messages.id, channelDeliveries.messageId))
        .where(
          and(
            eq(channelDeliveries.businessId, businessId),
            eq(channelDeliveries.channelMessageId, channelMessageId),
            eq(messages.channel, channel),
          ),
        );
      return part ? toMessage(part.message) : null;
    },
    async recordReport(input) {
      const inserted = await db
        .insert(deliveryReports)
        .values({
          id: ids.newId(),
          businessId: input.businessId,
          channel: input.channel,
          channelMessageId: input.channelMessageId,
          status: input.status,
          occurredAt: input.at,
          messageId: input.messageId,
          errors: [...input.errors],
          createdAt: clock.now(),
        })
        .onConflictDoNothing()
        .returning({ id: deliveryReports.id });
      return inserted.length > 0;
    },
    async listReports(businessId, messageId) {
      const rows = await db
        .select()
        .from(deliveryReports)
        .where(
          and(eq(deliveryReports.businessId, businessId), eq(deliveryReports.messageId, messageId)),
        )
        .orderBy(asc(deliveryReports.occurredAt), asc(deliveryReports.createdAt));
      return rows.map((row) => ({
        id: row.id,
        businessId: row.businessId,
        channel: row.channel as never,
        channelMessageId: row.channelMessageId,
        status: row.status as never,
        at: row.occurredAt,
        messageId: row.messageId,
        errors: row.errors,
        createdAt: row.createdAt,
      }));
    },
    async advanceStatus(businessId, messageId, status, details = {}) {
      const { channelMessageId } = details;
      if (channelMessageId !== undefined) {
        // In a savepoint: if an echo already recorded this provider id on another row, the unique
        // index refuses and the status still moves (the enclosing transaction must not abort).
        try {
          await db.transaction(async (inner) => {
            await inner
              .update(messages)
              .set({ channelMessageId })
              .where(
                and(
                  eq(messages.businessId, businessId),
                  eq(messages.id, messageId),
                  sql`${messages.channelMessageId} IS NULL`,
                ),
              );
          });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      const changed = await db
        .update(messages)
        .set({
          status,
          ...(details.error !== undefined ? { statusError: details.error } : {}),
        })
        .where(
          and(
            eq(messages.businessId, businessId),
            eq(messages.id, messageId),
            eq(messages.direction, 'outbound'),
            sql`${rankOfStatusColumn} < ${STATUS_RANK[status]}`,
          ),
        )
        .returning({ id: messages.id });
      return changed.length > 0;
    },
    async advanceUpTo(businessId, conversationIds, until, status) {
      if (conversationIds.length === 0) return [];
      const changed = await db
        .update(messages)
        .set({ status })
        .where(
          and(
            eq(messages.businessId, businessId),
            inArray(messages.conversationId, [...conversationIds]),
            eq(messages.direction, 'outbound'),
            lte(messages.createdAt, until),
            // Only what left: a pending reply was not delivered, whatever the watermark says.
            inArray(messages.status, ['sent', 'delivered']),
            sql`${rankOfStatusColumn} < ${STATUS_RANK[status]}`,
          ),
        )
        .returning({ id: messages.id, conversationId: messages.conversationId });
      return changed;
    },
    async recordChunk(businessId, messageId, chunk, channelMessageId) {
      await db
        .insert(channelDeliveries)
        .values({ businessId, messageId, chunk, channelMessageId, createdAt: clock.now() })
        .onConflictDoNothing();
    },
    async listChunks(businessId, messageId) {
      const rows = await db
        .select({
          chunk: channelDeliveries.chunk,
          channelMessageId: channelDeliveries.channelMessageId,
        })
        .from(channelDeliveries)
        .where(
          and(
            eq(channelDeliveries.businessId, businessId),
            eq(channelDeliveries.messageId, messageId),
          ),
        )
        .orderBy(asc(channelDeliveries.chunk));
      return rows;
    },
  };
}
