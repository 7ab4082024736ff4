import { describe, expect, it } from 'vitest';
import { backends } from '../support/test-database.js';
import { createBusiness, newMessage, useContractDatabase } from './contract-fixtures.js';

describe.each(backends)('transactions contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  it('a transaction that throws leaves nothing behind', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const written: { contactId?: string; conversationId?: string; messageId?: string } = {};
    const failure = new Error('the model call failed half-way');

    await expect(
      store.transaction(async (tx) => {
        const contact = await tx.contacts.findOrCreateByIdentity(
          business.id,
          { channel: 'web', externalId: 'rolled-back' },
          {},
        );
        const conversation = await tx.conversations.findOrOpen(business.id, contact.id, 'web');
        const { message } = await tx.messages.insert(
          newMessage(conversation, 'hello', { channelMessageId: 'client-1' }),
        );
        await tx.conversations.noteMessage(business.id, conversation.id, message);
        await tx.knowledge.replaceFaq(business.id, [{ question: 'Q?', answer: 'A.' }]);
        Object.assign(written, {
          contactId: contact.id,
          conversationId: conversation.id,
          messageId: message.id,
        });
        // Visible inside the transaction…
        expect(await tx.messages.getById(business.id, message.id)).not.toBeNull();
        throw failure;
      }),
    ).rejects.toBe(failure);

    // …and gone after it.
    expect(written.messageId).toBeDefined();
    expect(await store.contacts.getById(business.id, written.contactId!)).toBeNull();
    expect(await store.conversations.getById(business.id, written.conversationId!)).toBeNull();
    expect(await store.messages.getById(business.id, written.messageId!)).toBeNull();
    expect(await store.conversations.list(business.id)).toEqual([]);
    expect(await store.knowledge.listFaq(business.id)).toEqual([]);

    // The identity and the channel id are free again: nothing half-written blocks a retry.
    const contact = await store.contacts.findOrCreateByIdentity(
      business.id,
      { channel: 'web', externalId: 'rolled-back' },
      {},
    );
    const conversation = await store.conversations.findOrOpen(business.id, contact.id, 'web');
    const retried = await store.messages.insert(
      newMessage(conversation, 'hello', { channelMessageId: 'client-1' }),
    );
    expect(retried.duplicate).toBe(false);
  });

  it('a transaction that returns commits everything and passes its value through', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const result = await store.transaction(async (tx) => {
      const contact = await tx.contacts.findOrCreateByIdentity(
        business.id,
        { channel: 'web', externalId: 'committed' },
        {},
      );
      const conversation = await tx.conversations.findOrOpen(business.id, contact.id, 'web');
      const { message } = await tx.messages.insert(newMessage(conversation, 'hello'));
      return { conversationId: conversation.id, messageId: message.id };
    });
    expect(await store.conversations.getById(business.id, result.conversationId)).not.toBeNull();
    expect(await store.messages.getById(business.id, result.messageId)).not.toBeNull();
  });
});
