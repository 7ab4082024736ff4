import { and, eq } from 'drizzle-orm';
import type { Contact } from '../../core/contact.js';
import type { ContactIdentityRepository } from '../../core/channel-store.js';
import { contactIdentities, contacts } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createContactIdentityRepository({
  db,
  ids,
  clock,
}: RepositoryContext): ContactIdentityRepository {
  return {
    async attach(businessId, contactId, identity) {
      const inserted = await db
        .insert(contactIdentities)
        .values({ id: ids.newId(), businessId, contactId, ...identity, createdAt: clock.now() })
        .onConflictDoNothing()
        .returning({ id: contactIdentities.id });
      return inserted.length > 0;
    },
    async move(businessId, channel, fromId, toId) {
      const [from] = await db
        .select()
        .from(contactIdentities)
        .where(
          and(
            eq(contactIdentities.businessId, businessId),
            eq(contactIdentities.channel, channel),
            eq(contactIdentities.externalId, fromId),
          ),
        );
      if (!from) {
        // Already moved (a redelivered change) or never seen: the new id decides.
        const [moved] = await db
          .select({ contact: contacts })
          .from(contactIdentities)
          .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
          .where(
            and(
              eq(contactIdentities.businessId, businessId),
              eq(contactIdentities.channel, channel),
              eq(contactIdentities.externalId, toId),
            ),
          );
        return moved ? toContact(moved.contact) : null;
      }
      // The new id may already be attached (both ids arrived on one message); then only the old
      // one goes, since it may be given to someone else now.
      await db
        .insert(contactIdentities)
        .values({
          id: ids.newId(),
          businessId,
          contactId: from.contactId,
          channel,
          externalId: toId,
          createdAt: clock.now(),
        })
        .onConflictDoNothing();
      await db.delete(contactIdentities).where(eq(contactIdentities.id, from.id));
      const [row] = await db.select().from(contacts).where(eq(contacts.id, from.contactId));
      return row ? toContact(row) : null;
    },
    async updateProfile(businessId, contactId, profile) {
      const changes = {
        ...(profile.displayName ? { displayName: profile.displayName } : {}),
        ...(profile.phone ? { phone: profile.phone } : {}),
      };
      if (Object.keys(changes).length === 0) return;
      await db
        .update(contacts)
        .set({ ...changes, updatedAt: clock.now() })
        .where(and(eq(contacts.businessId, businessId), eq(contacts.id, contactId)));
    },
  };
}

function toContact(row: typeof contacts.$inferSelect): Contact {
  return {
    id: row.id,
    businessId: row.businessId,
    displayName: row.displayName,
    phone: row.phone,
    email: row.email,
    vip: row.vip,
    flagged: row.flagged,
    createdAt: row.createdAt,
  };
}
