import { and, eq } from 'drizzle-orm';
import type { PendingAction } from '../../core/commerce.js';
import type { PendingActionRepository } from '../../core/commerce-store.js';
import { pendingActions } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

type PendingActionRow = typeof pendingActions.$inferSelect;

export function createPendingActionRepository({
  db,
  ids,
  clock,
}: RepositoryContext): PendingActionRepository {
  return {
    async propose(input) {
      const now = clock.now();
      // The partial unique index allows one open proposal per conversation: the older one goes.
      await db
        .update(pendingActions)
        .set({ status: 'superseded', settledAt: now })
        .where(
          and(
            eq(pendingActions.businessId, input.businessId),
            eq(pendingActions.conversationId, input.conversationId),
            eq(pendingActions.status, 'proposed'),
          ),
        );
      const [row] = await db
        .insert(pendingActions)
        .values({ id: ids.newId(), ...input, status: 'proposed', createdAt: now })
        .returning();
      return toPendingAction(row!);
    },
    async getById(businessId, id) {
      const [row] = await db
        .select()
        .from(pendingActions)
        .where(and(eq(pendingActions.businessId, businessId), eq(pendingActions.id, id)));
      return row ? toPendingAction(row) : null;
    },
    async findOpen(businessId, conversationId) {
      const [row] = await db
        .select()
        .from(pendingActions)
        .where(
          and(
            eq(pendingActions.businessId, businessId),
            eq(pendingActions.conversationId, conversationId),
            eq(pendingActions.status, 'proposed'),
          ),
        );
      return row ? toPendingAction(row) : null;
    },
    async settle(businessId, id, to, result) {
      const settled = await db
        .update(pendingActions)
        .set({ status: to, result, settledAt: clock.now() })
        .where(
          and(
            eq(pendingActions.businessId, businessId),
            eq(pendingActions.id, id),
            eq(pendingActions.status, 'proposed'),
          ),
        )
        .returning({ id: pendingActions.id });
      return settled.length === 1;
    },
  };
}

function toPendingAction(row: PendingActionRow): PendingAction {
  return {
    id: row.id,
    businessId: row.businessId,
    contactId: row.contactId,
    conversationId: row.conversationId,
    kind: row.kind,
    payload: row.payload,
    summary: row.summary,
    status: row.status,
    result: row.result ?? null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
