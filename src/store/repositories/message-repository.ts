import { and, asc, desc, eq, gt, inArray, or } from 'drizzle-orm';
import { conversations } from '../schema/index.js';
import type { ChannelKind } from '../../core/channel.js';
import { textOfParts, type Message } from '../../core/message.js';
import type { MessageRepository } from '../../core/store.js';
import { messages } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createMessageRepository({ db, ids, clock }: RepositoryContext): MessageRepository {
  const scoped = (businessId: string, id: string) =>
    and(eq(messages.businessId, businessId), eq(messages.id, id));

  return {
    async insert(input) {
      const inserted = await db
        .insert(messages)
        .values({
          id: ids.newId(),
          businessId: input.businessId,
          conversationId: input.conversationId,
          channel: input.channel,
          direction: input.direction,
          author: input.author,
          authorUserId: input.authorUserId ?? null,
          parts: input.parts,
          text: textOfParts(input.parts),
          channelMessageId: input.channelMessageId ?? null,
          status: input.status,
          createdAt: clock.now(),
        })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return { message: toMessage(inserted[0]), duplicate: false };
      const [earlier] = await db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.businessId, input.businessId),
            eq(messages.channel, input.channel),
            eq(messages.channelMessageId, input.channelMessageId ?? ''),
          ),
        );
      if (!earlier) throw new Error('message insert conflicted but no earlier message was found');
      return { message: toMessage(earlier), duplicate: true };
    },
    async getById(businessId, id) {
      const [row] = await db.select().from(messages).where(scoped(businessId, id));
      return row ? toMessage(row) : null;
    },
    async listForConversation(businessId, conversationId, options = {}) {
      const rows = await db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.businessId, businessId),
            eq(messages.conversationId, conversationId),
            options.afterSeq !== undefined ? gt(messages.seq, options.afterSeq) : undefined,
          ),
        )
        .orderBy(asc(messages.seq))
        .limit(options.limit ?? 500);
      return rows.map(toMessage);
    },
    async listForContact(businessId, contactId, channel, options) {
      const contactConversations = db
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            eq(conversations.businessId, businessId),
            eq(conversations.contactId, contactId),
            eq(conversations.channel, channel),
          ),
        );
      const rows = await db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.businessId, businessId),
            inArray(messages.conversationId, contactConversations),
            options.since
              ? or(gt(messages.seq, options.afterSeq), gt(messages.createdAt, options.since))
              : gt(messages.seq, options.afterSeq),
          ),
        )
        .orderBy(asc(messages.seq))
        .limit(options.limit ?? 500);
      return rows.map(toMessage);
    },
    async recent(businessId, conversationId, limit) {
      const rows = await db
        .select()
        .from(messages)
        .where(
          and(eq(messages.businessId, businessId), eq(messages.conversationId, conversationId)),
        )
        .orderBy(desc(messages.seq))
        .limit(limit);
      return rows.reverse().map(toMessage);
    },
    async setStatus(businessId, id, status, details = {}) {
      await db
        .update(messages)
        .set({
          status,
          ...(details.channelMessageId !== undefined
            ? { channelMessageId: details.channelMessageId }
            : {}),
          ...(details.error !== undefined ? { statusError: details.error } : {}),
        })
        .where(scoped(businessId, id));
    },
  };
}

export function toMessage(row: typeof messages.$inferSelect): Message {
  return {
    id: row.id,
    seq: row.seq,
    businessId: row.businessId,
    conversationId: row.conversationId,
    channel: row.channel as ChannelKind,
    direction: row.direction,
    author: row.author,
    authorUserId: row.authorUserId,
    parts: row.parts,
    text: row.text,
    channelMessageId: row.channelMessageId,
    status: row.status,
    statusError: row.statusError,
    createdAt: row.createdAt,
  };
}
