import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';
import { conversations } from './conversations.js';

/** Helpdesk tickets (Zendesk) opened for handed-off conversations: one per handoff episode. */
export const helpdeskTickets = pgTable(
  'helpdesk_tickets',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    episode: text('episode').notNull(),
    ticketId: text('ticket_id'),
    state: text('state', { enum: ['pending', 'created', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    syncedSeq: bigint('synced_seq', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('helpdesk_tickets_episode').on(
      table.businessId,
      table.conversationId,
      table.episode,
    ),
    index('helpdesk_tickets_due')
      .on(table.nextAttemptAt)
      .where(sql`state = 'pending'`),
    index('helpdesk_tickets_ticket').on(table.businessId, table.ticketId),
  ],
);

/** Helpdesk comments that came in by webhook: deduplicates replays, marks their messages. */
export const helpdeskIncomingComments = pgTable(
  'helpdesk_incoming_comments',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    commentId: text('comment_id').notNull(),
    ticketId: text('ticket_id').notNull(),
    messageId: uuid('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.businessId, table.commentId] }),
    index('helpdesk_incoming_comments_message').on(table.messageId),
  ],
);
