import { and, asc, eq } from 'drizzle-orm';
import { ParleyError } from '../../core/errors.js';
import type { CannedReply, CannedReplyRepository } from '../../core/inbox-store.js';
import { cannedReplies } from '../schema/index.js';
import type { RepositoryContext } from './context.js';
import { isUniqueViolation } from './unique-violation.js';

export function createCannedReplyRepository({
  db,
  ids,
  clock,
}: RepositoryContext): CannedReplyRepository {
  const scoped = (businessId: string, id: string) =>
    and(eq(cannedReplies.businessId, businessId), eq(cannedReplies.id, id));

  async function guardShortcut<T>(shortcut: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error, 'canned_replies_shortcut')) throw error;
      throw new ParleyError(
        'conflict',
        `A canned reply with the shortcut "/${shortcut}" already exists. Choose another shortcut, or edit that reply.`,
        { cause: error },
      );
    }
  }

  return {
    async list(businessId) {
      const rows = await db
        .select()
        .from(cannedReplies)
        .where(eq(cannedReplies.businessId, businessId))
        .orderBy(asc(cannedReplies.shortcut));
      return rows.map(toCannedReply);
    },
    async getById(businessId, id) {
      const [row] = await db.select().from(cannedReplies).where(scoped(businessId, id));
      return row ? toCannedReply(row) : null;
    },
    async create(businessId, input) {
      const now = clock.now();
      return guardShortcut(input.shortcut, async () => {
        const [row] = await db
          .insert(cannedReplies)
          .values({ id: ids.newId(), businessId, ...input, createdAt: now, updatedAt: now })
          .returning();
        return toCannedReply(row!);
      });
    },
    async update(businessId, id, input) {
      return guardShortcut(input.shortcut, async () => {
        const [row] = await db
          .update(cannedReplies)
          .set({ ...input, updatedAt: clock.now() })
          .where(scoped(businessId, id))
          .returning();
        return row ? toCannedReply(row) : null;
      });
    },
    async delete(businessId, id) {
      const removed = await db
        .delete(cannedReplies)
        .where(scoped(businessId, id))
        .returning({ id: cannedReplies.id });
      return removed.length > 0;
    },
  };
}

function toCannedReply(row: typeof cannedReplies.$inferSelect): CannedReply {
  return {
    id: row.id,
    businessId: row.businessId,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
