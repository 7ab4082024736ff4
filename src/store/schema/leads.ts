import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { LeadAnswer } from '../../core/leads.js';
import { businesses } from './businesses.js';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';

/** One lead per contact per business: the qualification answers, their score and the stage. */
export const leads = pgTable(
  'leads',
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
    answers: jsonb('answers').$type<Record<string, LeadAnswer>>().notNull().default({}),
    score: integer('score').notNull().default(0),
    stage: text('stage').notNull(),
    stageSetBy: text('stage_set_by', { enum: ['score', 'person'] })
      .notNull()
      .default('score'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('leads_contact').on(table.businessId, table.contactId),
    index('leads_business_score').on(table.businessId, table.score, table.updatedAt),
  ],
);

/** Lead events waiting to reach the CRM webhook: written with the change, retried with backoff. */
export const leadDeliveries = pgTable(
  'lead_deliveries',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    // The order events happened in (ids are random; times can tie): a lead's deliveries leave in it.
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    event: text('event', { enum: ['lead.created', 'lead.stage_changed'] }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('lead_deliveries_due')
      .on(table.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index('lead_deliveries_lead').on(table.leadId, table.seq),
  ],
);
