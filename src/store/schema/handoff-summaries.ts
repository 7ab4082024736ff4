import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { businesses } from './businesses.js';
import { conversations } from './conversations.js';

/** Summaries for the person taking over a handed-off conversation; the newest is shown. */
export const handoffSummaries = pgTable(
  'handoff_summaries',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['model', 'facts'] }).notNull(),
    text: text('text').notNull(),
    trigger: text('trigger'),
    evidence: text('evidence'),
    modelName: text('model_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('handoff_summaries_conversation').on(table.conversationId, table.createdAt)],
);
