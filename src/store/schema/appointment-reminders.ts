import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments.js';
import { businesses } from './businesses.js';

/**
 * One row per reminder Parley decided about: keyed by appointment, lead time and the start time it
 * was for, so a reminder is written once (whatever process or restart), and a rescheduled
 * appointment gets reminders for its new time while the old time's are never sent.
 */
export const appointmentReminders = pgTable(
  'appointment_reminders',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    appointmentId: uuid('appointment_id')
      .notNull()
      .references(() => appointments.id, { onDelete: 'cascade' }),
    leadMinutes: integer('lead_minutes').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    // queued: its message is in the outbox; not_sendable: the channel's rules forbid it now (the
    // owner sees why); skipped: a nearer reminder of the same appointment went instead.
    status: text('status', { enum: ['queued', 'not_sendable', 'skipped'] }).notNull(),
    messageId: uuid('message_id'),
    reason: text('reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('appointment_reminders_once').on(
      table.appointmentId,
      table.leadMinutes,
      table.startsAt,
    ),
    index('appointment_reminders_business').on(table.businessId, table.createdAt),
  ],
);
