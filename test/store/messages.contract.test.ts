import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Message } from '../../src/core/message.js';
import type { Store } from '../../src/core/store.js';
import { backends } from '../support/test-database.js';
import {
  createBusiness,
  createConversation,
  newMessage,
  useContractDatabase,
} from './contract-fixtures.js';

describe.each(backends)('messages contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  async function insertMany(store: Store, texts: readonly string[], businessId?: string) {
    const business = businessId ?? (await createBusiness(store)).id;
    const { conversation } = await createConversation(store, business);
    const inserted: Message[] = [];
    for (const text of texts) {
      inserted.push((await store.messages.insert(newMessage(conversation, text))).message);
    }
    return { businessId: business, conversation, inserted };
  }

  it('stores every field and derives the plain text from the parts', async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const store = context.storeWith({ clock });
    const business = await createBusiness(store);
    const { conversation } = await createConversation(store, business.id, 'whatsapp');
    const { message, duplicate } = await store.messages.insert(
      newMessage(conversation, '', {
        direction: 'outbound',
        author: 'agent',
        parts: [
          { type: 'text', text: 'Which size?' },
          {
            type: 'choices',
            choices: [
              { id: 's', title: 'Small' },
              { id: 'l', title: 'Large' },
            ],
          },
        ],
        status: 'pending',
      }),
    );
    expect(duplicate).toBe(false);
    expect(message).toMatchObject({
      businessId: business.id,
      conversationId: conversation.id,
      channel: 'whatsapp',
      direction: 'outbound',
      author: 'agent',
      authorUserId: null,
      text: 'Which size?\n- Small\n- Large',
      channelMessageId: null,
      status: 'pending',
      statusError: null,
      createdAt: new Date('2026-03-02T09:00:00Z'),
    });
    expect(await store.messages.getById(business.id, message.id)).toEqual(message);
  });

  describe('deduplication', () => {
    it('returns the earlier message, marked duplicate, for a redelivered channel id', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id, 'whatsapp');
      const first = await store.messages.insert(
        newMessage(conversation, 'first delivery', { channelMessageId: 'wamid.1' }),
      );
      const again = await store.messages.insert(
        newMessage(conversation, 'redelivered', { channelMessageId: 'wamid.1' }),
      );
      expect(first.duplicate).toBe(false);
      expect(again).toEqual({ message: first.message, duplicate: true });
      expect(await store.messages.listForConversation(business.id, conversation.id)).toEqual([
        first.message,
      ]);
    });

    it('does not treat the same channel id in another business or channel as a duplicate', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const other = await createBusiness(store, 'other');
      const onWhatsapp = await createConversation(store, business.id, 'whatsapp');
      const onMessenger = await createConversation(store, business.id, 'messenger');
      const elsewhere = await createConversation(store, other.id, 'whatsapp');
      const results = await Promise.all(
        [onWhatsapp, onMessenger, elsewhere].map(({ conversation }) =>
          store.messages.insert(newMessage(conversation, 'hi', { channelMessageId: 'shared.1' })),
        ),
      );
      expect(results.map((result) => result.duplicate)).toEqual([false, false, false]);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(3);
    });

    it('never treats messages without a channel id as duplicates', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id);
      const results = [];
      for (const channelMessageId of [undefined, null, undefined, null]) {
        results.push(
          await store.messages.insert(newMessage(conversation, 'same text', { channelMessageId })),
        );
      }
      expect(results.every((result) => !result.duplicate)).toBe(true);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(4);
    });

    it('concurrent redeliveries store the message once', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id, 'whatsapp');
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          store.messages.insert(newMessage(conversation, 'hi', { channelMessageId: 'wamid.race' })),
        ),
      );
      expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    });
  });

  it('gives every message a strictly increasing seq, across conversations', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const a = await createConversation(store, business.id);
    const b = await createConversation(store, business.id);
    const seqs: number[] = [];
    for (let index = 0; index < 6; index++) {
      const target = index % 2 === 0 ? a : b;
      seqs.push(
        (await store.messages.insert(newMessage(target.conversation, `m${index}`))).message.seq,
      );
    }
    for (let index = 1; index < seqs.length; index++) {
      expect(seqs[index]).toBeGreaterThan(seqs[index - 1]!);
    }
  });

  it('lists a conversation oldest first, and only what follows afterSeq', async () => {
    const { store } = context;
    const { businessId, conversation, inserted } = await insertMany(store, [
      'one',
      'two',
      'three',
      'four',
      'five',
    ]);
    // A message of another conversation in between must not show up.
    await insertMany(store, ['elsewhere'], businessId);

    const all = await store.messages.listForConversation(businessId, conversation.id);
    expect(all.map((message) => message.text)).toEqual(['one', 'two', 'three', 'four', 'five']);

    const after = await store.messages.listForConversation(businessId, conversation.id, {
      afterSeq: inserted[1]!.seq,
    });
    expect(after.map((message) => message.text)).toEqual(['three', 'four', 'five']);

    const limited = await store.messages.listForConversation(businessId, conversation.id, {
      afterSeq: inserted[1]!.seq,
      limit: 2,
    });
    expect(limited.map((message) => message.text)).toEqual(['three', 'four']);

    expect(
      await store.messages.listForConversation(businessId, conversation.id, {
        afterSeq: inserted[4]!.seq,
      }),
    ).toEqual([]);
  });

  it('recent(n) returns the newest n, oldest first', async () => {
    const { store } = context;
    const { businessId, conversation } = await insertMany(store, [
      'one',
      'two',
      'three',
      'four',
      'five',
    ]);
    const recent = await store.messages.recent(businessId, conversation.id, 3);
    expect(recent.map((message) => message.text)).toEqual(['three', 'four', 'five']);
    const everything = await store.messages.recent(businessId, conversation.id, 50);
    expect(everything.map((message) => message.text)).toEqual([
      'one',
      'two',
      'three',
      'four',
      'five',
    ]);
  });

  it("listForContact spans the contact's conversations on one channel", async () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const store = context.storeWith({ clock });
    const business = await createBusiness(store);
    const { contact, conversation: first } = await createConversation(store, business.id, 'web');
    const texts = async (options: { afterSeq: number; since?: Date; limit?: number }) =>
      (await store.messages.listForContact(business.id, contact.id, 'web', options)).map(
        (message) => message.text,
      );

    const one = (await store.messages.insert(newMessage(first, 'one'))).message;
    clock.advance(60_000);
    await store.messages.insert(newMessage(first, 'two', { direction: 'outbound' }));
    await store.conversations.transition(business.id, first.id, {
      from: ['agent'],
      to: 'resolved',
    });
    const second = await store.conversations.findOrOpen(business.id, contact.id, 'web');
    clock.advance(60_000);
    const three = (await store.messages.insert(newMessage(second, 'three'))).message;
    // Not this contact's web thread: another channel, another contact.
    const onWhatsapp = await store.conversations.findOrOpen(business.id, contact.id, 'whatsapp');
    await store.messages.insert(newMessage(onWhatsapp, 'whatsapp'));
    const stranger = await createConversation(store, business.id, 'web');
    await store.messages.insert(newMessage(stranger.conversation, 'stranger'));

    expect(await texts({ afterSeq: 0 })).toEqual(['one', 'two', 'three']);
    expect(await texts({ afterSeq: one.seq })).toEqual(['two', 'three']);
    expect(await texts({ afterSeq: 0, limit: 2 })).toEqual(['one', 'two']);
    expect(await texts({ afterSeq: three.seq })).toEqual([]);
    // `since` adds what was created after it, even at or below the seq cursor.
    expect(await texts({ afterSeq: three.seq, since: new Date('2026-03-02T09:00:30Z') })).toEqual([
      'two',
      'three',
    ]);
    expect(
      await store.messages.listForContact(business.id, stranger.contact.id, 'web', {
        afterSeq: 0,
      }),
    ).toHaveLength(1);
  });

  it('setStatus updates the status, the error and the channel id', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const { conversation } = await createConversation(store, business.id, 'whatsapp');
    const { message } = await store.messages.insert(
      newMessage(conversation, 'Your order is on its way', { direction: 'outbound' }),
    );

    await store.messages.setStatus(business.id, message.id, 'sent', {
      channelMessageId: 'wamid.out.1',
    });
    expect(await store.messages.getById(business.id, message.id)).toMatchObject({
      status: 'sent',
      channelMessageId: 'wamid.out.1',
      statusError: null,
    });

    // Later receipts leave what they do not mention alone.
    await store.messages.setStatus(business.id, message.id, 'delivered');
    expect(await store.messages.getById(business.id, message.id)).toMatchObject({
      status: 'delivered',
      channelMessageId: 'wamid.out.1',
    });

    await store.messages.setStatus(business.id, message.id, 'failed', {
      error: 'recipient blocked the business',
    });
    expect(await store.messages.getById(business.id, message.id)).toMatchObject({
      status: 'failed',
      statusError: 'recipient blocked the business',
      channelMessageId: 'wamid.out.1',
    });

    // The id recorded on sending is then what deduplication sees.
    const echo = await store.messages.insert(
      newMessage(conversation, 'echo', { channelMessageId: 'wamid.out.1' }),
    );
    expect(echo.duplicate).toBe(true);
    expect(echo.message.id).toBe(message.id);
  });

  it("never reads or changes another business's messages", async () => {
    const { store } = context;
    const other = await createBusiness(store, 'other');
    const { businessId, conversation, inserted } = await insertMany(store, ['private']);
    const message = inserted[0]!;

    expect(await store.messages.getById(other.id, message.id)).toBeNull();
    expect(await store.messages.listForConversation(other.id, conversation.id)).toEqual([]);
    expect(await store.messages.recent(other.id, conversation.id, 10)).toEqual([]);
    expect(
      await store.messages.listForContact(other.id, conversation.contactId, 'web', { afterSeq: 0 }),
    ).toEqual([]);
    await store.messages.setStatus(other.id, message.id, 'failed', {
      error: 'tampered',
      channelMessageId: 'tampered',
    });
    expect(await store.messages.getById(businessId, message.id)).toEqual(message);
  });
});
