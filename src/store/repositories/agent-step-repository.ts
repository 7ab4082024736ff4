import { and, asc, eq } from 'drizzle-orm';
import type { AgentStep } from '../../core/agent-step.js';
import type { AgentStepRepository, AuditRepository } from '../../core/store.js';
import { agentSteps, auditLog } from '../schema/index.js';
import type { RepositoryContext } from './context.js';
import { desc } from 'drizzle-orm';

export function createAgentStepRepository({
  db,
  ids,
  clock,
}: RepositoryContext): AgentStepRepository {
  return {
    async insertMany(businessId, conversationId, turnId, steps) {
      if (steps.length === 0) return;
      const createdAt = clock.now();
      await db.insert(agentSteps).values(
        steps.map((step, index) => ({
          id: ids.newId(),
          businessId,
          conversationId,
          turnId,
          stepIndex: index,
          kind: step.kind,
          latencyMs: Math.round(step.latencyMs),
          createdAt,
          ...(step.kind === 'model'
            ? {
                model: step.model,
                inputTokens: step.inputTokens,
                outputTokens: step.outputTokens,
                finishReason: step.finishReason,
                text: step.text,
              }
            : step.kind === 'tool'
              ? {
                  toolName: step.toolName,
                  toolCallId: step.toolCallId,
                  input: step.input ?? null,
                  output: step.output ?? null,
                  error: step.error,
                }
              : { errorCode: step.code, error: step.message }),
        })),
      );
    },
    async listForConversation(businessId, conversationId) {
      const rows = await db
        .select()
        .from(agentSteps)
        .where(
          and(eq(agentSteps.businessId, businessId), eq(agentSteps.conversationId, conversationId)),
        )
        .orderBy(asc(agentSteps.createdAt), asc(agentSteps.turnId), asc(agentSteps.stepIndex));
      return rows.map(toAgentStep);
    },
  };
}

function toAgentStep(row: typeof agentSteps.$inferSelect): AgentStep {
  const base = {
    id: row.id,
    businessId: row.businessId,
    conversationId: row.conversationId,
    turnId: row.turnId,
    index: row.stepIndex,
    createdAt: row.createdAt,
    latencyMs: row.latencyMs,
  };
  switch (row.kind) {
    case 'model':
      return {
        ...base,
        kind: 'model',
        model: row.model ?? '',
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        finishReason: row.finishReason ?? '',
        text: row.text ?? '',
      };
    case 'tool':
      return {
        ...base,
        kind: 'tool',
        toolName: row.toolName ?? '',
        toolCallId: row.toolCallId ?? '',
        input: row.input,
        output: row.output,
        error: row.error,
      };
    case 'error':
      return { ...base, kind: 'error', code: row.errorCode ?? '', message: row.error ?? '' };
  }
}

export function createAuditRepository({ db, ids, clock }: RepositoryContext): AuditRepository {
  return {
    async record(entry) {
      await db.insert(auditLog).values({ id: ids.newId(), ...entry, createdAt: clock.now() });
    },
    async list(businessId, options = {}) {
      const rows = await db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.businessId, businessId),
            options.subjectId ? eq(auditLog.subjectId, options.subjectId) : undefined,
          ),
        )
        .orderBy(desc(auditLog.createdAt))
        .limit(options.limit ?? 100);
      return rows;
    },
  };
}
