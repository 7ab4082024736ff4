import { and, asc, eq, sql } from 'drizzle-orm';
import { ParleyError } from '../../core/errors.js';
import type { User } from '../../core/user.js';
import type { UserRepository } from '../../core/store.js';
import { users } from '../schema/index.js';
import type { RepositoryContext } from './context.js';
import { isUniqueViolation } from './unique-violation.js';

export function createUserRepository({ db, ids, clock }: RepositoryContext): UserRepository {
  return {
    async create(input) {
      const email = normaliseEmail(input.email);
      try {
        const [row] = await db
          .insert(users)
          .values({ id: ids.newId(), ...input, email, createdAt: clock.now() })
          .returning();
        return toUser(row!);
      } catch (error) {
        if (!isUniqueViolation(error, 'users_email_unique')) throw error;
        // Login finds users by e-mail across businesses, so an address can belong to one user only.
        throw new ParleyError(
          'conflict',
          `A user with the e-mail address ${email} already exists. Use another address, or sign in as that user.`,
          { cause: error },
        );
      }
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
