import { and, asc, eq } from 'drizzle-orm';
import type {
  HandoffDecision,
  HandoffDecisionRepository,
  HandoffPolicyRepository,
  HandoffTrigger,
} from '../../core/handoff.js';
import { handoffDecisions, handoffPolicies } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createHandoffDecisionRepository({
  db,
  ids,
  clock,
}: RepositoryContext): HandoffDecisionRepository {
  return {
    async insertMany(businessId, conversationId, turnId, decisions) {
      if (decisions.length === 0) return;
      const createdAt = clock.now();
      await db.insert(handoffDecisions).values(
        decisions.map((decision, position) => ({
          id: ids.newId(),
          businessId,
          conversationId,
          turnId,
          position,
          createdAt,
          ...decision,
        })),
      );
    },
    async listForConversation(businessId, conversationId) {
      const rows = await db
        .select()
        .from(handoffDecisions)
        .where(
          and(
            eq(handoffDecisions.businessId, businessId),
            eq(handoffDecisions.conversationId, conversationId),
          ),
        )
        .orderBy(
          asc(handoffDecisions.createdAt),
          asc(handoffDecisions.turnId),
          asc(handoffDecisions.position),
        );
      return rows.map((row): HandoffDecision => ({
        id: row.id,
        businessId: row.businessId,
        conversationId: row.conversationId,
        turnId: row.turnId,
        phase: row.phase,
        trigger: row.trigger as HandoffTrigger,
        fired: row.fired,
        action: row.action,
        evidence: row.evidence,
        deciding: row.deciding,
        createdAt: row.createdAt,
      }));
    },
  };
}

export function createHandoffPolicyRepository({
  db,
  clock,
}: RepositoryContext): HandoffPolicyRepository {
  return {
    async get(businessId) {
      const [row] = await db
        .select()
        .from(handoffPolicies)
        .where(eq(handoffPolicies.businessId, businessId));
      return row
        ? { policy: row.policy, updatedByUserId: row.updatedByUserId, updatedAt: row.updatedAt }
        : null;
    },
    async put(businessId, policy, userId) {
      const updatedAt = clock.now();
      await db
        .insert(handoffPolicies)
        .values({ businessId, policy, updatedByUserId: userId, updatedAt })
        .onConflictDoUpdate({
          target: handoffPolicies.businessId,
          set: { policy, updatedByUserId: userId, updatedAt },
        });
      return { policy, updatedByUserId: userId, updatedAt };
    },
  };
}
