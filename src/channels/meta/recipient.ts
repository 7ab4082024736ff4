import type { Store } from '../../core/store.js';

/**
 * Who a reply goes to on a Meta channel, from the contact's identities there. On WhatsApp a
 * phone-based id (digits) is sent as `to`; a business-scoped user id (`US.123…`, customers who
 * use a username and shared no number) as `recipient`.
 */
export async function findRecipient(
  store: Store,
  businessId: string,
  contactId: string,
  channel: 'whatsapp' | 'messenger' | 'instagram',
): Promise<{ id: string; kind: 'phone' | 'user-id' | 'scoped-id' } | null> {
  const identities = (await store.contacts.identities(businessId, contactId)).filter(
    (identity) => identity.channel === channel,
  );
  if (channel !== 'whatsapp') {
    const first = identities[0];
    return first ? { id: first.externalId, kind: 'scoped-id' } : null;
  }
  const phone = identities.find((identity) => /^\d+$/.test(identity.externalId));
  if (phone) return { id: phone.externalId, kind: 'phone' };
  const userId = identities[0];
  return userId ? { id: userId.externalId, kind: 'user-id' } : null;
}
