import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import type { Business } from '../../src/core/business.js';
import type { ChannelKind } from '../../src/core/channel.js';
import type { Clock } from '../../src/core/clock.js';
import type { Contact } from '../../src/core/contact.js';
import type { Conversation } from '../../src/core/conversation.js';
import type { IdGenerator } from '../../src/core/ids.js';
import type { Message } from '../../src/core/message.js';
import type { NewMessage, Store } from '../../src/core/store.js';
import { createDrizzleStore } from '../../src/store/drizzle-store.js';
import { openTestDatabase, type Backend, type TestDatabase } from '../support/test-database.js';

export interface ContractContext {
  database: TestDatabase;
  /** A store with random ids and the system clock. */
  store: Store;
  /** Another store over the same database, with the seams a test wants to control. */
  storeWith(seams: { ids?: IdGenerator; clock?: Clock }): Store;
  /** Empties every table (for the installation-wide queues: turn claims, outbox). */
  truncate(): Promise<void>;
}

/**
 * Opens one database for the calling test file (opening costs about half a second, so never per
 * test) and closes it after the file. Read the returned object's fields inside tests only.
 */
export function useContractDatabase(backend: Backend): ContractContext {
  const context = {} as ContractContext;
  beforeAll(async () => {
    const database = await openTestDatabase(backend);
    context.database = database;
    context.store = createDrizzleStore(database.db);
    context.storeWith = (seams) => createDrizzleStore(database.db, seams);
    context.truncate = async () => {
      // Every business-owned table cascades from businesses; settings and login failures do not.
      await database.db.execute(sql`TRUNCATE businesses, settings, login_failures CASCADE`);
    };
  });
  afterAll(async () => {
    await context.database?.destroy();
  });
  return context;
}

/** A new business with a unique slug, so every test owns its rows. */
export function createBusiness(store: Store, label = 'business'): Promise<Business> {
  return store.businesses.upsert({
    slug: `${label}-${randomUUID()}`,
    name: `Test ${label}`,
    instructions: '',
    profile: {
      description: 'A business for contract tests.',
      timezone: 'Europe/London',
      languages: ['en'],
      currency: 'GBP',
      openingHours: {},
      tone: 'friendly',
    },
  });
}

/** A new contact (unique identity) with its open conversation on `channel`. */
export async function createConversation(
  store: Store,
  businessId: string,
  channel: ChannelKind = 'web',
): Promise<{ contact: Contact; conversation: Conversation }> {
  const contact = await store.contacts.findOrCreateByIdentity(
    businessId,
    { channel, externalId: `visitor-${randomUUID()}` },
    {},
  );
  const conversation = await store.conversations.findOrOpen(businessId, contact.id, channel);
  return { contact, conversation };
}

/** A message as a channel adapter would hand it to the store. */
export function newMessage(
  conversation: Conversation,
  text: string,
  overrides: Partial<NewMessage> = {},
): NewMessage {
  const inbound = (overrides.direction ?? 'inbound') === 'inbound';
  return {
    businessId: conversation.businessId,
    conversationId: conversation.id,
    channel: conversation.channel,
    direction: inbound ? 'inbound' : 'outbound',
    author: inbound ? 'customer' : 'agent',
    parts: [{ type: 'text', text }],
    status: inbound ? 'received' : 'pending',
    ...overrides,
  };
}

/** Stores a message and records it on its conversation, as the inbox does. */
export async function postMessage(
  store: Store,
  conversation: Conversation,
  text: string,
  overrides: Partial<NewMessage> = {},
): Promise<{ message: Message; conversation: Conversation }> {
  const { message } = await store.messages.insert(newMessage(conversation, text, overrides));
  const updated = await store.conversations.noteMessage(
    conversation.businessId,
    conversation.id,
    message,
  );
  return { message, conversation: updated };
}
