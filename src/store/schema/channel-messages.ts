import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ProviderError } from '../../core/channel-event.js';
import { businesses } from './businesses.js';
import { contacts } from './contacts.js';
import { messages } from './conversations.js';

/**
 * Every delivery report a provider sent, once per (provider message id, status): the history
 * behind a message's status, and the deduplication of status redeliveries.
 */
export const deliveryReports = pgTable(
  'delivery_reports',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    channelMessageId: text('channel_message_id').notNull(),
    status: text('status').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    errors: jsonb('errors').$type<ProviderError[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('delivery_reports_once').on(
      table.businessId,
      table.channel,
      table.channelMessageId,
      table.status,
    ),
    index('delivery_reports_message').on(table.messageId),
  ],
);

/**
 * The provider messages one outbound message was sent as (a long reply goes out in several), so a
 * retry after a crash resends only the parts the provider had not accepted.
 */
export const channelDeliveries = pgTable(
  'channel_deliveries',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    chunk: integer('chunk').notNull(),
    channelMessageId: text('channel_message_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.messageId, table.chunk] }),
    index('channel_deliveries_provider_id').on(table.businessId, table.channelMessageId),
  ],
);

/** When each contact last wrote on each channel, by the provider's clock: the service window. */
export const customerWindows = pgTable(
  'customer_windows',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    lastCustomerMessageAt: timestamp('last_customer_message_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.businessId, table.contactId, table.channel] })],
);
