import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AgentFailure } from '../../core/conversation.js';
import type { MessagePart } from '../../core/message.js';
import { businesses } from './businesses.js';
import { contacts } from './contacts.js';
import { users } from './users.js';

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    state: text('state', { enum: ['agent', 'waiting_for_person', 'person', 'resolved'] })
      .notNull()
      .default('agent'),
    assignedUserId: uuid('assigned_user_id').references(() => users.id, { onDelete: 'set null' }),
    unreadCount: integer('unread_count').notNull().default(0),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
    lastMessagePreview: text('last_message_preview').notNull().default(''),
    lastInboundSeq: bigint('last_inbound_seq', { mode: 'number' }).notNull().default(0),
    agentCursor: bigint('agent_cursor', { mode: 'number' }).notNull().default(0),
    turnLeaseUntil: timestamp('turn_lease_until', { withTimezone: true }),
    lastFailure: jsonb('last_failure').$type<AgentFailure>(),
    handoffReason: text('handoff_reason'),
    /**
     * Since when the customer has waited for a person: set when the conversation is handed off or
     * the customer writes while a person holds it; cleared by a person's reply or a hand-back.
     */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('conversations_business_recent').on(table.businessId, table.lastMessageAt),
    // At most one open conversation per contact and channel.
    uniqueIndex('conversations_one_open')
      .on(table.businessId, table.contactId, table.channel)
      .where(sql`state <> 'resolved'`),
    // The turn worker's queue: conversations owing a turn.
    index('conversations_pending_turns')
      .on(table.lastMessageAt)
      .where(sql`state = 'agent' AND last_inbound_seq > agent_cursor`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    author: text('author', { enum: ['customer', 'agent', 'person', 'system'] }).notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    parts: jsonb('parts').$type<MessagePart[]>().notNull(),
    text: text('text').notNull(),
    channelMessageId: text('channel_message_id'),
    status: text('status', {
      enum: ['received', 'pending', 'sent', 'delivered', 'read', 'failed'],
    }).notNull(),
    statusError: text('status_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('messages_conversation_seq').on(table.conversationId, table.seq),
    // Deduplication of redelivered messages, by the provider's (or widget's) own id.
    uniqueIndex('messages_channel_id')
      .on(table.businessId, table.channel, table.channelMessageId)
      .where(sql`channel_message_id IS NOT NULL`),
    // The inbox's search: substrings of message text (pg_trgm makes ILIKE '%…%' indexable).
    index('messages_text_trigram').using('gin', table.text.op('gin_trgm_ops')),
  ],
);
