import { and, eq } from 'drizzle-orm';
import type { ChannelKind } from '../../core/channel.js';
import type { Contact } from '../../core/contact.js';
import type { ContactRepository } from '../../core/store.js';
import { contactIdentities, contacts } from '../schema/index.js';
import type { RepositoryContext } from './context.js';

export function createContactRepository({ db, ids, clock }: RepositoryContext): ContactRepository {
  async function findByIdentity(businessId: string, channel: string, externalId: string) {
    const [row] = await db
      .select({ contact: contacts })
      .from(contactIdentities)
      .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
      .where(
        and(
          eq(contactIdentities.businessId, businessId),
          eq(contactIdentities.channel, channel),
          eq(contactIdentities.externalId, externalId),
        ),
      );
    return row ? toContact(row.contact) : null;
  }

  return {
    async findOrCreateByIdentity(businessId, identity, profile) {
      const existing = await findByIdentity(businessId, identity.channel, identity.externalId);
      if (existing) return existing;
      const now = clock.now();
      const contactId = ids.newId();
      // Two first messages from one new sender may race: the identity's unique index decides, the
      // loser's contact row is removed and the winner's returned.
      await db.insert(contacts).values({
        id: contactId,
        businessId,
        displayName: profile.displayName ?? null,
        phone: profile.phone ?? null,
        email: profile.email ?? null,
        createdAt: now,
        updatedAt: now,
      });
      const inserted = await db
        .insert(contactIdentities)
        .values({ id: ids.newId(), businessId, contactId, ...identity, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: contactIdentities.id });
      if (inserted.length === 0) {
        await db.delete(contacts).where(eq(contacts.id, contactId));
        const winner = await findByIdentity(businessId, identity.channel, identity.externalId);
        if (!winner) throw new Error('contact identity vanished during creation');
        return winner;
      }
      const [row] = await db.select().from(contacts).where(eq(contacts.id, contactId));
      return toContact(row!);
    },
    findByIdentity: (businessId, identity) =>
      findByIdentity(businessId, identity.channel, identity.externalId),
    async getById(businessId, id) {
      const [row] = await db
        .select()
        .from(contacts)
        .where(and(eq(contacts.businessId, businessId), eq(contacts.id, id)));
      return row ? toContact(row) : null;
    },
    async identities(businessId, contactId) {
      const rows = await db
        .select()
        .from(contactIdentities)
        .where(
          and(
            eq(contactIdentities.businessId, businessId),
            eq(contactIdentities.contactId, contactId),
          ),
        );
      return rows.map((row) => ({
        channel: row.channel as ChannelKind,
        externalId: row.externalId,
      }));
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
