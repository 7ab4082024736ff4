import { and, asc, count, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { ChannelKind } from '../../core/channel.js';
import type { StoredWebhook, WebhookInboxRepository } from '../../core/channel-store.js';
import { webhookEvents } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createWebhookInboxRepository({
  db,
  ids,
  clock,
}: RepositoryContext): WebhookInboxRepository {
  return {
    async append(entries) {
      if (entries.length === 0) return [];
      const rows = entries.map((entry) => ({
        id: ids.newId(),
        channel: entry.channel,
        body: entry.body,
        receivedAt: entry.receivedAt,
        nextAttemptAt: entry.receivedAt,
      }));
      await db.insert(webhookEvents).values(rows);
      return rows.map((row) => row.id);
    },
    async claimDue(now, leaseUntil, limit) {
      const due = db
        .select({ id: webhookEvents.id })
        .from(webhookEvents)
        .where(
          and(
            eq(webhookEvents.status, 'pending'),
            lte(webhookEvents.nextAttemptAt, now),
            or(isNull(webhookEvents.leaseUntil), lt(webhookEvents.leaseUntil, now)),
          ),
        )
        .orderBy(asc(webhookEvents.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db
        .update(webhookEvents)
        .set({ leaseUntil, attempts: sql`${webhookEvents.attempts} + 1` })
        .where(inArray(webhookEvents.id, due))
        .returning();
      return rows
        .map(toStoredWebhook)
        .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    },
    async markProcessed(ids, at) {
      if (ids.length === 0) return;
      await db
        .update(webhookEvents)
        .set({ status: 'processed', processedAt: at, leaseUntil: null, lastError: null })
        .where(inArray(webhookEvents.id, [...ids]));
    },
    async reschedule(id, nextAttemptAt, error) {
      await db
        .update(webhookEvents)
        .set({ nextAttemptAt, lastError: error, leaseUntil: null })
        .where(eq(webhookEvents.id, id));
    },
    async markFailed(id, error) {
      await db
        .update(webhookEvents)
        .set({ status: 'failed', lastError: error, leaseUntil: null, processedAt: clock.now() })
        .where(eq(webhookEvents.id, id));
    },
    async pendingCount() {
      const [row] = await db
        .select({ total: count() })
        .from(webhookEvents)
        .where(eq(webhookEvents.status, 'pending'));
      return row?.total ?? 0;
    },
    async pruneProcessed(before) {
      const deleted = await db
        .delete(webhookEvents)
        .where(and(eq(webhookEvents.status, 'processed'), lt(webhookEvents.receivedAt, before)))
        .returning({ id: webhookEvents.id });
      return deleted.length;
    },
    async getById(id) {
      const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
      return row ? { ...toStoredWebhook(row), status: row.status, lastError: row.lastError } : null;
    },
  };
}

function toStoredWebhook(row: typeof webhookEvents.$inferSelect): StoredWebhook {
  return {
    id: row.id,
    channel: row.channel as ChannelKind,
    body: row.body,
    receivedAt: row.receivedAt,
    attempts: row.attempts,
  };
}
