import { and, eq, sql } from 'drizzle-orm';
import type { CustomerWindowRepository } from '../../core/channel-store.js';
import { customerWindows } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createCustomerWindowRepository({
  db,
}: RepositoryContext): CustomerWindowRepository {
  return {
    async noteCustomerMessage(businessId, contactId, channel, at) {
      // GREATEST: a redelivered or late webhook must not shorten the window.
      await db
        .insert(customerWindows)
        .values({ businessId, contactId, channel, lastCustomerMessageAt: at })
        .onConflictDoUpdate({
          target: [customerWindows.businessId, customerWindows.contactId, customerWindows.channel],
          set: {
            lastCustomerMessageAt: sql`GREATEST(${customerWindows.lastCustomerMessageAt}, excluded.last_customer_message_at)`,
          },
        });
    },
    async lastCustomerMessageAt(businessId, contactId, channel) {
      const [row] = await db
        .select({ at: customerWindows.lastCustomerMessageAt })
        .from(customerWindows)
        .where(
          and(
            eq(customerWindows.businessId, businessId),
            eq(customerWindows.contactId, contactId),
            eq(customerWindows.channel, channel),
          ),
        );
      return row?.at ?? null;
    },
  };
}
