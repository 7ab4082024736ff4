import { randomUUID } from 'node:crypto';
import type { Business } from '../../../src/core/business.js';
import type { Contact } from '../../../src/core/contact.js';
import type { Conversation } from '../../../src/core/conversation.js';
import type { Message } from '../../../src/core/message.js';
import type { Store } from '../../../src/core/store.js';

export interface OtherBusiness {
  business: Business;
  contact: Contact;
  conversation: Conversation;
  message: Message;
}

/**
 * A second business in the same installation, with a contact, an open web conversation and one
 * customer message whose text is unique: tenant-isolation tests assert it never shows up.
 */
export async function createOtherBusiness(store: Store, label = 'other'): Promise<OtherBusiness> {
  const business = await store.businesses.upsert({
    slug: `${label}-${randomUUID().slice(0, 8)}`,
    name: `Other Business ${label}`,
    instructions: '',
    profile: {
      description: 'Another tenant of the same installation.',
      timezone: 'Europe/Berlin',
      languages: ['de'],
      currency: 'EUR',
      openingHours: {},
      tone: 'formal',
    },
  });
  const contact = await store.contacts.findOrCreateByIdentity(
    business.id,
    { channel: 'web', externalId: `secret-visitor-${randomUUID()}` },
    { displayName: 'Secret Customer', email: 'secret.customer@other.test' },
  );
  const opened = await store.conversations.findOrOpen(business.id, contact.id, 'web');
  const { message } = await store.messages.insert({
    businessId: business.id,
    conversationId: opened.id,
    channel: 'web',
    direction: 'inbound',
    author: 'customer',
    parts: [{ type: 'text', text: `confidential order note ${randomUUID()}` }],
    channelMessageId: randomUUID(),
    status: 'received',
  });
  const conversation = await store.conversations.noteMessage(business.id, opened.id, message);
  return { business, contact, conversation, message };
}
