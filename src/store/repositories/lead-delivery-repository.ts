import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { LeadDelivery, LeadDeliveryRepository } from '../../core/leads.js';
import { leadDeliveries } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createLeadDeliveryRepository({
  db,
  ids,
  clock,
}: RepositoryContext): LeadDeliveryRepository {
  async function finish(id: string, change: Partial<typeof leadDeliveries.$inferInsert>) {
    await db
      .update(leadDeliveries)
      .set({ ...change, leaseUntil: null, updatedAt: clock.now() })
      .where(eq(leadDeliveries.id, id));
  }

  return {
    async enqueue(input) {
      const [row] = await db
        .insert(leadDeliveries)
        .values({
          id: ids.newId(),
          businessId: input.businessId,
          leadId: input.leadId,
          event: input.event,
          payload: input.payload,
          nextAttemptAt: input.at,
          createdAt: input.at,
          updatedAt: input.at,
        })
        .returning();
      return toDelivery(row!);
    },
    async claimDue(now, leaseUntil, limit) {
      const earlier = alias(leadDeliveries, 'earlier');
      const due = db
        .select({ id: leadDeliveries.id })
        .from(leadDeliveries)
        .where(
          and(
            eq(leadDeliveries.status, 'pending'),
            lte(leadDeliveries.nextAttemptAt, now),
            or(isNull(leadDeliveries.leaseUntil), lt(leadDeliveries.leaseUntil, now)),
            // A CRM must see a lead's events in order: a later one waits for an earlier one.
            sql`NOT EXISTS (${db
              .select({ one: sql`1` })
              .from(earlier)
              .where(
                and(
                  eq(earlier.leadId, leadDeliveries.leadId),
                  eq(earlier.status, 'pending'),
                  lt(earlier.seq, leadDeliveries.seq),
                ),
              )})`,
          ),
        )
        .orderBy(asc(leadDeliveries.nextAttemptAt), asc(leadDeliveries.seq))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db
        .update(leadDeliveries)
        .set({ leaseUntil, attempts: sql`${leadDeliveries.attempts} + 1` })
        .where(inArray(leadDeliveries.id, due))
        .returning();
      return rows
        .map(toDelivery)
        .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    },
    markSent: (id) => finish(id, { status: 'sent', lastError: null }),
    reschedule: (id, nextAttemptAt, error) => finish(id, { nextAttemptAt, lastError: error }),
    markFailed: (id, error) => finish(id, { status: 'failed', lastError: error }),
    async listForLead(businessId, leadId) {
      const rows = await db
        .select()
        .from(leadDeliveries)
        .where(and(eq(leadDeliveries.businessId, businessId), eq(leadDeliveries.leadId, leadId)))
        .orderBy(desc(leadDeliveries.seq));
      return rows.map(toDelivery);
    },
  };
}

function toDelivery(row: typeof leadDeliveries.$inferSelect): LeadDelivery {
  return {
    id: row.id,
    businessId: row.businessId,
    leadId: row.leadId,
    event: row.event,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    createdAt: row.createdAt,
  };
}
