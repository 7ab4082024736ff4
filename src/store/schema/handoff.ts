import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { HandoffPolicy } from '../../core/handoff.js';
import { businesses } from './businesses.js';
import { conversations } from './conversations.js';
import { users } from './users.js';

/** Every evaluated handoff rule of every turn: the audit trail the thread shows. */
export const handoffDecisions = pgTable(
  'handoff_decisions',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    turnId: uuid('turn_id').notNull(),
    position: integer('position').notNull(),
    phase: text('phase', { enum: ['before', 'after'] }).notNull(),
    trigger: text('trigger').notNull(),
    fired: boolean('fired').notNull(),
    action: text('action', { enum: ['handoff', 'callback', 'notify'] }).notNull(),
    evidence: text('evidence').notNull(),
    deciding: boolean('deciding').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('handoff_decisions_conversation').on(table.conversationId, table.createdAt),
    index('handoff_decisions_business_fired').on(table.businessId, table.createdAt),
  ],
);

/** The policy the owner edited in the console; overrides the business file's. */
export const handoffPolicies = pgTable('handoff_policies', {
  businessId: uuid('business_id')
    .primaryKey()
    .references(() => businesses.id, { onDelete: 'cascade' }),
  policy: jsonb('policy').$type<HandoffPolicy>().notNull(),
  updatedByUserId: uuid('updated_by_user_id').references(() => users.id, {
    onDelete: 'set null',
  }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
