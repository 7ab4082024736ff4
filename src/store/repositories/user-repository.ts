import { and, asc, eq, sql } from 'drizzle-orm';
import type { User } from '../../core/user.js';
import type { UserRepository } from '../../core/store.js';
import { users } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createUserRepository({ db, ids, clock }: RepositoryContext): UserRepository {
  return {
    async create(input) {
      const [row] = await db
        .insert(users)
        .values({
          id: ids.newId(),
          ...input,
          email: normaliseEmail(input.email),
          createdAt: clock.now(),
        })
        .returning();
      return toUser(row!);
    },
    async findByEmail(email) {
      const [row] = await db
        .select()
        .from(users)
        .where(eq(users.email, normaliseEmail(email)));
      return row ? { ...toUser(row), passwordHash: row.passwordHash } : null;
    },
    async getById(businessId, id) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.businessId, businessId), eq(users.id, id)));
      return row ? toUser(row) : null;
    },
    async list(businessId) {
      const rows = await db
        .select()
        .from(users)
        .where(eq(users.businessId, businessId))
        .orderBy(asc(users.createdAt), asc(sql`${users.email}`));
      return rows.map(toUser);
    },
    async setPassword(businessId, id, passwordHash) {
      await db
        .update(users)
        .set({ passwordHash })
        .where(and(eq(users.businessId, businessId), eq(users.id, id)));
    },
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(row: typeof users.$inferSelect): User {
  const { passwordHash: _hash, ...user } = row;
  return user;
}
