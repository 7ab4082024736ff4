import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { ModelCall, ModelCallRepository } from '../../core/model-calls.js';
import { modelCalls } from '../schema/model-calls.js';
import type { RepositoryContext } from './context.js';

export function createModelCallRepository({ db, ids }: RepositoryContext): ModelCallRepository {
  return {
    async insertMany(records) {
      if (records.length === 0) return;
      // One JSON parameter expanded by the database: the egress log is written on the gateway's hot
      // path, and building a 20-column multi-row insert costs more than the insert itself.
      const rows = records.map((record) => ({
        id: ids.newId(),
        business_id: record.businessId,
        contact_id: record.contactId,
        conversation_id: record.conversationId,
        source: record.source,
        task: record.task,
        model_id: record.modelId,
        provider: record.provider,
        location: record.location,
        data_classes: record.dataClasses,
        redactions: record.redactions,
        input_tokens: record.inputTokens,
        output_tokens: record.outputTokens,
        cached_input_tokens: record.cachedInputTokens,
        cost_micros: Math.round(record.costMicros),
        latency_ms: Math.round(record.latencyMs),
        outcome: record.outcome,
        error_code: record.errorCode,
        fallback_from: record.fallbackFrom,
        created_at: record.at.toISOString(),
        audio_seconds: record.audioSeconds ?? null,
      }));
      await db.execute(
        sql`insert into model_calls select * from json_populate_recordset(null::model_calls, ${JSON.stringify(rows)}::json)`,
      );
    },
    async list(businessId, options = {}) {
      const rows = await db
        .select()
        .from(modelCalls)
        .where(
          and(
            eq(modelCalls.businessId, businessId),
            options.since ? gte(modelCalls.createdAt, options.since) : undefined,
            options.conversationId
              ? eq(modelCalls.conversationId, options.conversationId)
              : undefined,
          ),
        )
        .orderBy(desc(modelCalls.createdAt))
        .limit(options.limit ?? 100);
      return rows.map(({ createdAt, ...row }): ModelCall => ({ ...row, at: createdAt }));
    },
    async spend(businessId, options) {
      const [row] = await db
        .select({ total: sql<string | null>`sum(${modelCalls.costMicros})` })
        .from(modelCalls)
        .where(
          and(
            eq(modelCalls.businessId, businessId),
            gte(modelCalls.createdAt, options.since),
            options.contactId ? eq(modelCalls.contactId, options.contactId) : undefined,
          ),
        );
      return Number(row?.total ?? 0);
    },
    async spendByContact(businessId, options) {
      const cost = sql<string>`coalesce(sum(${modelCalls.costMicros}), 0)`;
      const rows = await db
        .select({ contactId: modelCalls.contactId, calls: sql<string>`count(*)`, costMicros: cost })
        .from(modelCalls)
        .where(
          and(
            eq(modelCalls.businessId, businessId),
            gte(modelCalls.createdAt, options.since),
            sql`${modelCalls.contactId} is not null`,
          ),
        )
        .groupBy(modelCalls.contactId)
        .orderBy(desc(cost))
        .limit(options.limit ?? 20);
      return rows.map((row) => ({
        contactId: row.contactId!,
        calls: Number(row.calls),
        costMicros: Number(row.costMicros),
      }));
    },
    async usageByDay(businessId, options) {
      // Inlined, not a parameter: PostgreSQL matches the GROUP BY to the select list by text, and
      // two placeholders of one value are two expressions to it. The name is checked first.
      const zone = options.timeZone ?? 'UTC';
      if (!/^[A-Za-z0-9_+\-/]+$/.test(zone)) throw new Error(`Not a time zone name: ${zone}`);
      const day = sql<string>`to_char(${modelCalls.createdAt} at time zone ${sql.raw(`'${zone}'`)}, 'YYYY-MM-DD')`;
      const rows = await db
        .select({
          day,
          modelId: modelCalls.modelId,
          calls: sql<string>`count(*)`,
          inputTokens: sql<string>`coalesce(sum(${modelCalls.inputTokens}), 0)`,
          outputTokens: sql<string>`coalesce(sum(${modelCalls.outputTokens}), 0)`,
          cachedInputTokens: sql<string>`coalesce(sum(${modelCalls.cachedInputTokens}), 0)`,
          audioSeconds: sql<string>`coalesce(sum(${modelCalls.audioSeconds}), 0)`,
          costMicros: sql<string>`coalesce(sum(${modelCalls.costMicros}), 0)`,
        })
        .from(modelCalls)
        .where(
          and(
            eq(modelCalls.businessId, businessId),
            gte(modelCalls.createdAt, options.since),
            options.until ? lt(modelCalls.createdAt, options.until) : undefined,
          ),
        )
        .groupBy(day, modelCalls.modelId)
        .orderBy(day, modelCalls.modelId);
      return rows.map((row) => ({
        day: row.day,
        modelId: row.modelId,
        calls: Number(row.calls),
        inputTokens: Number(row.inputTokens),
        outputTokens: Number(row.outputTokens),
        cachedInputTokens: Number(row.cachedInputTokens),
        audioSeconds: Number(row.audioSeconds),
        costMicros: Number(row.costMicros),
      }));
    },
    async usageByConversation(businessId, options) {
      const cost = sql<string>`coalesce(sum(${modelCalls.costMicros}), 0)`;
      const rows = await db
        .select({
          conversationId: modelCalls.conversationId,
          calls: sql<string>`count(*)`,
          tokens: sql<string>`coalesce(sum(coalesce(${modelCalls.inputTokens}, 0) + coalesce(${modelCalls.outputTokens}, 0)), 0)`,
          costMicros: cost,
        })
        .from(modelCalls)
        .where(
          and(
            eq(modelCalls.businessId, businessId),
            gte(modelCalls.createdAt, options.since),
            sql`${modelCalls.conversationId} is not null`,
          ),
        )
        .groupBy(modelCalls.conversationId)
        .orderBy(desc(cost))
        .limit(options.limit ?? 50);
      return rows.map((row) => ({
        conversationId: row.conversationId!,
        calls: Number(row.calls),
        tokens: Number(row.tokens),
        costMicros: Number(row.costMicros),
      }));
    },
  };
}
