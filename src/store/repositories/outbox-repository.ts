import { and, asc, count, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { ChannelKind } from '../../core/channel.js';
import { ParleyError } from '../../core/errors.js';
import type { OutboxItem, OutboxRepository, SettingsRepository } from '../../core/store.js';
import { outbox, settings } from '../schema/index.js';
import type { RepositoryContext } from './context.js';
import { alias } from 'drizzle-orm/pg-core';

export function createOutboxRepository({ db, ids, clock }: RepositoryContext): OutboxRepository {
  return {
    async enqueue(input) {
      const [row] = await db
        .insert(outbox)
        .values({
          id: ids.newId(),
          businessId: input.businessId,
          messageId: input.messageId,
          conversationId: input.conversationId,
          channel: input.channel,
          nextAttemptAt: input.at,
          createdAt: input.at,
          updatedAt: input.at,
        })
        .returning();
      return toOutboxItem(row!);
    },
    async claimDue(now, leaseUntil, limit) {
      const due = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.status, 'pending'),
            lte(outbox.nextAttemptAt, now),
            or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now)),
          ),
        )
        .orderBy(asc(outbox.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db
        .update(outbox)
        .set({ leaseUntil: leaseUntil, attempts: sql`${outbox.attempts} + 1` })
        .where(inArray(outbox.id, due))
        .returning();
      return rows
        .map(toOutboxItem)
        .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
    },
    async markSent(id) {
      await db
        .update(outbox)
        .set({ status: 'sent', leaseUntil: null, updatedAt: clock.now() })
        .where(eq(outbox.id, id));
    },
    async reschedule(id, nextAttemptAt, error) {
      await db
        .update(outbox)
        .set({ nextAttemptAt, lastError: error, leaseUntil: null, updatedAt: clock.now() })
        .where(eq(outbox.id, id));
    },
    async markFailed(id, error) {
      await db
        .update(outbox)
        .set({ status: 'failed', lastError: error, leaseUntil: null, updatedAt: clock.now() })
        .where(eq(outbox.id, id));
    },
    async defer(id, nextAttemptAt) {
      await db
        .update(outbox)
        .set({
          nextAttemptAt,
          leaseUntil: null,
          attempts: sql`GREATEST(${outbox.attempts} - 1, 0)`,
          updatedAt: clock.now(),
        })
        .where(eq(outbox.id, id));
    },
    async earlierPendingDue(id) {
      const earlier = alias(outbox, 'earlier');
      const [row] = await db
        .select({ due: earlier.nextAttemptAt })
        .from(outbox)
        .innerJoin(
          earlier,
          and(
            eq(earlier.conversationId, outbox.conversationId),
            eq(earlier.status, 'pending'),
            or(
              lt(earlier.createdAt, outbox.createdAt),
              and(eq(earlier.createdAt, outbox.createdAt), lt(earlier.id, outbox.id)),
            ),
          ),
        )
        .where(eq(outbox.id, id))
        .orderBy(asc(earlier.nextAttemptAt))
        .limit(1);
      return row?.due ?? null;
    },
    async pendingCount() {
      const [row] = await db
        .select({ total: count() })
        .from(outbox)
        .where(eq(outbox.status, 'pending'));
      return row?.total ?? 0;
    },
  };
}

function toOutboxItem(row: typeof outbox.$inferSelect): OutboxItem {
  return {
    id: row.id,
    businessId: row.businessId,
    messageId: row.messageId,
    conversationId: row.conversationId,
    channel: row.channel as ChannelKind,
    attempts: row.attempts,
    status: row.status,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
  };
}

export function createSettingsRepository({ db }: RepositoryContext): SettingsRepository {
  return {
    async getOrCreate(key, create) {
      const read = async () => {
        const [row] = await db.select().from(settings).where(eq(settings.key, key));
        return row?.value;
      };
      // `create()` may be costly or have effects (it makes secrets): call it only when missing.
      const existing = await read();
      if (existing !== undefined) return existing;
      // Two processes may start at once: the first insert wins and both return its value.
      await db.insert(settings).values({ key, value: create() }).onConflictDoNothing();
      const stored = await read();
      if (stored === undefined) {
        throw new ParleyError(
          'internal',
          `The setting ${key} vanished while being created; retry.`,
        );
      }
      return stored;
    },
  };
}
