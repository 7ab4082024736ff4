import { and, desc, eq } from 'drizzle-orm';
import type { HandoffSummary, HandoffSummaryRepository } from '../../core/handoff-summary.js';
import { handoffSummaries } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createHandoffSummaryRepository({
  db,
  ids,
  clock,
}: RepositoryContext): HandoffSummaryRepository {
  return {
    async insert(summary) {
      const [row] = await db
        .insert(handoffSummaries)
        .values({ id: ids.newId(), createdAt: clock.now(), ...summary })
        .returning();
      return row as HandoffSummary;
    },
    async latest(businessId, conversationId) {
      const [row] = await db
        .select()
        .from(handoffSummaries)
        .where(
          and(
            eq(handoffSummaries.businessId, businessId),
            eq(handoffSummaries.conversationId, conversationId),
          ),
        )
        .orderBy(desc(handoffSummaries.createdAt))
        .limit(1);
      return row ?? null;
    },
  };
}
