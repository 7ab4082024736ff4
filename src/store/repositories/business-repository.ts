import { asc, eq } from 'drizzle-orm';
import type { Business } from '../../core/business.js';
import type { BusinessRepository } from '../../core/store.js';
import { businesses } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createBusinessRepository({
  db,
  ids,
  clock,
}: RepositoryContext): BusinessRepository {
  return {
    async upsert(input) {
      const now = clock.now();
      const [row] = await db
        .insert(businesses)
        .values({ id: ids.newId(), ...input, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: businesses.slug,
          set: {
            name: input.name,
            profile: input.profile,
            instructions: input.instructions,
            updatedAt: now,
          },
        })
        .returning();
      return toBusiness(row!);
    },
    async getById(id) {
      const [row] = await db.select().from(businesses).where(eq(businesses.id, id));
      return row ? toBusiness(row) : null;
    },
    async getBySlug(slug) {
      const [row] = await db.select().from(businesses).where(eq(businesses.slug, slug));
      return row ? toBusiness(row) : null;
    },
    async list() {
      const rows = await db.select().from(businesses).orderBy(asc(businesses.createdAt));
      return rows.map(toBusiness);
    },
  };
}

function toBusiness(row: typeof businesses.$inferSelect): Business {
  return { ...row };
}
