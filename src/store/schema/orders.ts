import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';
import { productVariants } from './catalog.js';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';

/** A contact's cart: quantities only. Prices are read from the catalog whenever it is shown. */
export const cartLines = pgTable(
  'cart_lines',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id')
      .notNull()
      .references(() => productVariants.id, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('cart_lines_contact_variant').on(table.contactId, table.variantId),
    index('cart_lines_business_contact').on(table.businessId, table.contactId),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, {
      onDelete: 'set null',
    }),
    // What customers quote ("order 1042"): short, and unrelated to the row id they never see.
    number: integer('number').notNull().generatedAlwaysAsIdentity({ startWith: 1001 }),
    status: text('status', { enum: ['pending_payment', 'paid', 'fulfilled', 'cancelled'] })
      .notNull()
      .default('pending_payment'),
    currency: text('currency').notNull(),
    totalMinor: integer('total_minor').notNull(),
    paymentProvider: text('payment_provider'),
    paymentSessionId: text('payment_session_id'),
    paymentUrl: text('payment_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('orders_number').on(table.number),
    index('orders_business_contact').on(table.businessId, table.contactId, table.createdAt),
    uniqueIndex('orders_payment_session').on(table.paymentProvider, table.paymentSessionId),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    variantId: uuid('variant_id').references(() => productVariants.id, { onDelete: 'set null' }),
    productTitle: text('product_title').notNull(),
    variantTitle: text('variant_title').notNull(),
    sku: text('sku'),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    quantity: integer('quantity').notNull(),
    lineTotalMinor: integer('line_total_minor').notNull(),
    position: integer('position').notNull(),
  },
  (table) => [index('order_lines_order').on(table.orderId)],
);

/** Actions waiting for the customer's confirmation (see core/commerce.ts, `PendingAction`). */
export const pendingActions = pgTable(
  'pending_actions',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    kind: text('kind', {
      enum: ['place_order', 'book_appointment', 'reschedule_appointment', 'cancel_appointment'],
    }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    summary: text('summary').notNull(),
    status: text('status', {
      enum: ['proposed', 'confirmed', 'declined', 'lapsed', 'superseded', 'failed'],
    })
      .notNull()
      .default('proposed'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (table) => [
    // At most one proposal awaits an answer in a conversation: the newest.
    uniqueIndex('pending_actions_one_open')
      .on(table.conversationId)
      .where(sql`status = 'proposed'`),
    index('pending_actions_business').on(table.businessId, table.createdAt),
  ],
);
