import { boolean, pgTable, text, timestamp, uniqueIndex, uuid, index } from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    displayName: text('display_name'),
    phone: text('phone'),
    email: text('email'),
    /** Marked by the team in the contact panel; the handoff policy's flagged-contact rule reads both. */
    vip: boolean('vip').notNull().default(false),
    flagged: boolean('flagged').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('contacts_business').on(table.businessId)],
);

export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('contact_identities_unique').on(table.businessId, table.channel, table.externalId),
    index('contact_identities_contact').on(table.contactId),
  ],
);
