import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type {
  ApiKey,
  ApiKeyRepository,
  LoginThrottleRepository,
  SessionRepository,
} from '../../core/store.js';
import { apiKeys, loginFailures, sessions } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createSessionRepository({ db, ids, clock }: RepositoryContext): SessionRepository {
  return {
    async create(input) {
      const [row] = await db
        .insert(sessions)
        .values({ id: ids.newId(), ...input, createdAt: clock.now() })
        .returning();
      return {
        id: row!.id,
        userId: row!.userId,
        businessId: row!.businessId,
        expiresAt: row!.expiresAt,
      };
    },
    async findByTokenHash(tokenHash, now) {
      const [row] = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)));
      return row
        ? { id: row.id, userId: row.userId, businessId: row.businessId, expiresAt: row.expiresAt }
        : null;
    },
    async delete(tokenHash) {
      await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    },
  };
}

export function createLoginThrottleRepository({
  db,
  ids,
}: RepositoryContext): LoginThrottleRepository {
  return {
    async countFailures(key, since) {
      const [row] = await db
        .select({ failures: count() })
        .from(loginFailures)
        .where(and(eq(loginFailures.key, key), gt(loginFailures.at, since)));
      return row?.failures ?? 0;
    },
    async recordFailure(key, at) {
      await db.insert(loginFailures).values({ id: ids.newId(), key, at });
    },
    async clear(key) {
      await db.delete(loginFailures).where(eq(loginFailures.key, key));
    },
  };
}

export function createApiKeyRepository({ db, ids, clock }: RepositoryContext): ApiKeyRepository {
  return {
    async create(input) {
      const [row] = await db
        .insert(apiKeys)
        .values({ id: ids.newId(), ...input, createdAt: clock.now() })
        .returning();
      return toApiKey(row!);
    },
    async findActiveByHash(keyHash) {
      const [row] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
      return row ? toApiKey(row) : null;
    },
    async touch(id, at) {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
    async list(businessId) {
      const rows = await db.select().from(apiKeys).where(eq(apiKeys.businessId, businessId));
      return rows.map(toApiKey);
    },
    async revoke(businessId, id, at) {
      const rows = await db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(
          and(eq(apiKeys.businessId, businessId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)),
        )
        .returning({ id: apiKeys.id });
      return rows.length > 0;
    },
  };
}

function toApiKey(row: typeof apiKeys.$inferSelect): ApiKey {
  return {
    id: row.id,
    businessId: row.businessId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
