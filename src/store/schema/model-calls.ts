import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ModelTask } from '../../core/model-calls.js';
import { businesses } from './businesses.js';

/**
 * The egress log and cost ledger: one row per model call. Holds no message text and no redacted
 * values; contact and conversation are plain ids (no foreign keys) so gateway calls, which have
 * neither, and rows of deleted conversations keep their cost history.
 */
export const modelCalls = pgTable(
  'model_calls',
  {
    id: uuid('id').primaryKey(),
    businessId: uuid('business_id')
      .notNull()
      .references(() => businesses.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id'),
    conversationId: uuid('conversation_id'),
    source: text('source', { enum: ['agent', 'gateway', 'workspace'] }).notNull(),
    task: text('task').$type<ModelTask>().notNull(),
    modelId: text('model_id').notNull(),
    provider: text('provider').notNull(),
    location: text('location', { enum: ['local', 'external'] }).notNull(),
    dataClasses: jsonb('data_classes').$type<string[]>().notNull().default([]),
    redactions: jsonb('redactions').$type<Record<string, number>>().notNull().default({}),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    cachedInputTokens: integer('cached_input_tokens'),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull().default(0),
    latencyMs: integer('latency_ms').notNull(),
    outcome: text('outcome', { enum: ['ok', 'error', 'refused'] }).notNull(),
    errorCode: text('error_code'),
    fallbackFrom: text('fallback_from'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Speech to text: seconds of audio, what per-minute prices (`whisper-1`) bill. */
    audioSeconds: real('audio_seconds'),
  },
  (table) => [
    index('model_calls_business_time').on(table.businessId, table.createdAt),
    index('model_calls_contact_time').on(table.businessId, table.contactId, table.createdAt),
  ],
);
