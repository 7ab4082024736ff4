import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';

export const appointments = pgTable(
  'appointments',
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
    serviceSlug: text('service_slug').notNull(),
    serviceName: text('service_name').notNull(),
    staffSlug: text('staff_slug').notNull(),
    staffName: text('staff_name').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    // The end plus the service's buffer: the time the staff member is not free again.
    blockedUntil: timestamp('blocked_until', { withTimezone: true }).notNull(),
    status: text('status', { enum: ['booked', 'cancelled'] })
      .notNull()
      .default('booked'),
    priceMinor: integer('price_minor').notNull(),
    // iCalendar: UID stays for the appointment's life; SEQUENCE grows with every change.
    uid: text('uid').notNull(),
    sequence: integer('sequence').notNull().default(0),
    inviteIcs: text('invite_ics'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('appointments_uid').on(table.uid),
    index('appointments_contact').on(table.businessId, table.contactId, table.startsAt),
    index('appointments_time').on(table.businessId, table.startsAt),
  ],
);

/**
 * Double booking made impossible by the database: a booked appointment claims every 5-minute
 * granule its staff member is busy, and a granule can be claimed once. Concurrent bookings of
 * overlapping times conflict on this unique index, whatever process makes them. (An exclusion
 * constraint on a tstzrange needs btree_gist, which the embedded database does not load.)
 */
export const appointmentClaims = pgTable(
  'appointment_claims',
  {
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    staffSlug: text('staff_slug').notNull(),
    granule: timestamp('granule', { withTimezone: true }).notNull(),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id, { onDelete: 'cascade' }),
  },
  (table) => [
    uniqueIndex('appointment_claims_granule').on(table.businessId, table.staffSlug, table.granule),
    index('appointment_claims_appointment').on(table.appointmentId),
  ],
);
