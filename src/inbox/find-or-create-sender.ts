import type { Contact } from '../core/contact.js';
import type { Store } from '../core/store.js';
import type { InboundMessage } from './receive-customer-message.js';

/**
 * The contact who sent a message, known by any of their ids on the channel. A WhatsApp customer
 * may arrive first by phone and later with a business-scoped user id too (or only with the user
 * id, when they use a username): every id found on the message ends up on one contact.
 */
export async function findOrCreateSender(
  tx: Store,
  inbound: Pick<
    InboundMessage,
    'businessId' | 'channel' | 'senderId' | 'senderProfile' | 'alternateSenderIds'
  >,
): Promise<Contact> {
  const { businessId, channel } = inbound;
  const profile = inbound.senderProfile ?? {};
  const alternates = (inbound.alternateSenderIds ?? []).filter((id) => id !== inbound.senderId);
  if (alternates.length === 0) {
    return tx.contacts.findOrCreateByIdentity(
      businessId,
      { channel, externalId: inbound.senderId },
      profile,
    );
  }
  const known = await tx.contacts.findByIdentity(businessId, {
    channel,
    externalId: inbound.senderId,
  });
  let contact = known;
  for (const externalId of alternates) {
    if (contact) break;
    contact = await tx.contacts.findByIdentity(businessId, { channel, externalId });
  }
  if (!contact) {
    contact = await tx.contacts.findOrCreateByIdentity(
      businessId,
      { channel, externalId: inbound.senderId },
      profile,
    );
  }
  // Usually every id is already attached: one read, no writes.
  const attached = new Set(
    (await tx.contacts.identities(businessId, contact.id))
      .filter((identity) => identity.channel === channel)
      .map((identity) => identity.externalId),
  );
  for (const externalId of [inbound.senderId, ...alternates]) {
    if (attached.has(externalId)) continue;
    await tx.contactIdentities.attach(businessId, contact.id, { channel, externalId });
  }
  if (
    (profile.displayName && profile.displayName !== contact.displayName) ||
    (profile.phone && profile.phone !== contact.phone)
  ) {
    await tx.contactIdentities.updateProfile(businessId, contact.id, profile);
  }
  return contact;
}
