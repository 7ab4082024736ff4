import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { backends } from '../support/test-database.js';
import {
  createBusiness,
  createConversation,
  postMessage,
  useContractDatabase,
} from './contract-fixtures.js';

describe.each(backends)('conversations contract on %s', (backend) => {
  const context = useContractDatabase(backend);

  describe('findOrOpen', () => {
    it('returns the open conversation, and a new one once the old is resolved', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { contact, conversation } = await createConversation(store, business.id, 'whatsapp');
      expect(conversation).toMatchObject({
        businessId: business.id,
        contactId: contact.id,
        channel: 'whatsapp',
        state: 'agent',
        unreadCount: 0,
        lastInboundSeq: 0,
        agentCursor: 0,
      });

      const again = await store.conversations.findOrOpen(business.id, contact.id, 'whatsapp');
      expect(again.id).toBe(conversation.id);

      await store.conversations.transition(business.id, conversation.id, {
        from: ['agent'],
        to: 'resolved',
      });
      const reopened = await store.conversations.findOrOpen(business.id, contact.id, 'whatsapp');
      expect(reopened.id).not.toBe(conversation.id);
      expect(reopened.state).toBe('agent');
      expect(
        (await store.conversations.listForContact(business.id, contact.id)).map((c) => c.id).sort(),
      ).toEqual([conversation.id, reopened.id].sort());
    });

    it('keeps one open conversation per channel', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { contact, conversation } = await createConversation(store, business.id, 'web');
      const onMessenger = await store.conversations.findOrOpen(
        business.id,
        contact.id,
        'messenger',
      );
      expect(onMessenger.id).not.toBe(conversation.id);
      expect(onMessenger.channel).toBe('messenger');
    });

    it('concurrent calls open exactly one conversation', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const contact = await store.contacts.findOrCreateByIdentity(
        business.id,
        { channel: 'web', externalId: 'racing-visitor' },
        {},
      );
      const opened = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.conversations.findOrOpen(business.id, contact.id, 'web'),
        ),
      );
      expect(new Set(opened.map((conversation) => conversation.id)).size).toBe(1);
      expect(await store.conversations.listForContact(business.id, contact.id)).toHaveLength(1);
    });
  });

  describe('transition', () => {
    it('moves the state and records who holds it and why', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id);
      const handedOff = await store.conversations.transition(business.id, conversation.id, {
        from: ['agent'],
        to: 'waiting_for_person',
        handoffReason: 'customer asked for a person',
      });
      expect(handedOff).toMatchObject({
        state: 'waiting_for_person',
        handoffReason: 'customer asked for a person',
        assignedUserId: null,
      });
      expect(await store.conversations.getById(business.id, conversation.id)).toEqual(handedOff);
    });

    it('is a compare-and-set: a transition from a state it is not in returns null', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id);
      const result = await store.conversations.transition(business.id, conversation.id, {
        from: ['person', 'waiting_for_person'],
        to: 'resolved',
      });
      expect(result).toBeNull();
      expect((await store.conversations.getById(business.id, conversation.id))?.state).toBe(
        'agent',
      );
    });

    it('lets exactly one of two concurrent take-overs win', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const owner = await store.users.create({
        businessId: business.id,
        email: `owner-${business.id}@example.com`,
        name: 'Owner',
        role: 'owner',
        passwordHash: 'hash',
      });
      const staff = await store.users.create({
        businessId: business.id,
        email: `staff-${business.id}@example.com`,
        name: 'Staff',
        role: 'staff',
        passwordHash: 'hash',
      });
      const { conversation } = await createConversation(store, business.id);
      const takeOver = (userId: string) =>
        store.conversations.transition(business.id, conversation.id, {
          from: ['agent', 'waiting_for_person'],
          to: 'person',
          assignedUserId: userId,
        });

      // Several rounds, so that on PostgreSQL the take-overs really overlap at least once (the
      // first round starts from `agent`, later ones alternate).
      for (let round = 0; round < 5; round++) {
        await store.conversations.transition(business.id, conversation.id, {
          from: ['person'],
          to: round % 2 === 0 ? 'waiting_for_person' : 'agent',
          assignedUserId: null,
        });
        const results = await Promise.all([takeOver(owner.id), takeOver(staff.id)]);
        const winners = results.filter((result) => result !== null);
        expect(winners).toHaveLength(1);
        const stored = await store.conversations.getById(business.id, conversation.id);
        expect(stored?.state).toBe('person');
        expect(stored?.assignedUserId).toBe(winners[0]!.assignedUserId);
      }
    });

    it('handing back to the agent moves the cursor up to the newest inbound message', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const created = await createConversation(store, business.id);
      const first = await postMessage(store, created.conversation, 'hello');
      await store.conversations.transition(business.id, created.conversation.id, {
        from: ['agent'],
        to: 'person',
      });
      // Written while a person held the thread: the agent must not answer it later.
      const second = await postMessage(store, first.conversation, 'are you there?');
      expect(second.conversation.lastInboundSeq).toBe(second.message.seq);
      expect(second.conversation.agentCursor).toBe(0);

      const back = await store.conversations.transition(business.id, created.conversation.id, {
        from: ['person'],
        to: 'agent',
        assignedUserId: null,
      });
      expect(back?.agentCursor).toBe(second.message.seq);
      expect(back?.lastInboundSeq).toBe(second.message.seq);
    });

    it('handing back never moves the cursor down', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const created = await createConversation(store, business.id);
      const inbound = await postMessage(store, created.conversation, 'hello');
      const reply = await postMessage(store, inbound.conversation, 'hi!', {
        direction: 'outbound',
      });
      // The cursor only moves forward (finishTurn keeps it monotonic); put it past the newest
      // inbound seq and the hand-back must leave it there.
      await store.conversations.finishTurn(business.id, created.conversation.id, {
        handledSeq: reply.message.seq,
        failure: null,
      });
      await store.conversations.transition(business.id, created.conversation.id, {
        from: ['agent'],
        to: 'person',
      });
      const back = await store.conversations.transition(business.id, created.conversation.id, {
        from: ['person'],
        to: 'agent',
      });
      expect(back?.agentCursor).toBe(reply.message.seq);
    });
  });

  describe('getForUpdate', () => {
    it('holds the row until the transaction ends, so a concurrent change waits for it', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id);
      let concurrent: Promise<unknown> | undefined;
      await store.transaction(async (tx) => {
        const locked = await tx.conversations.getForUpdate(business.id, conversation.id);
        expect(locked).toEqual(conversation);
        // A take-over from outside the transaction, sent while the row is held…
        concurrent = store.conversations.transition(business.id, conversation.id, {
          from: ['agent'],
          to: 'person',
        });
        // …(give it time to reach the database and block)…
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.conversations.transition(business.id, conversation.id, {
          from: ['agent'],
          to: 'waiting_for_person',
        });
      });
      // …sees the state this transaction committed, so its compare-and-set fails.
      expect(await concurrent).toBeNull();
      expect((await store.conversations.getById(business.id, conversation.id))?.state).toBe(
        'waiting_for_person',
      );
    });

    it("returns null for another business's conversation", async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const other = await createBusiness(store, 'other');
      const { conversation } = await createConversation(store, business.id);
      const found = await store.transaction((tx) =>
        tx.conversations.getForUpdate(other.id, conversation.id),
      );
      expect(found).toBeNull();
    });
  });

  describe('noteMessage', () => {
    it('counts inbound messages as unread and moves the inbound cursor', async () => {
      const clock = new ManualClock('2026-03-02T09:00:00Z');
      const store = context.storeWith({ clock });
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id);

      clock.advance(60_000);
      const inbound = await postMessage(store, conversation, 'Do you deliver on Sundays?');
      expect(inbound.conversation).toMatchObject({
        lastMessagePreview: 'Do you deliver on Sundays?',
        lastMessageAt: new Date('2026-03-02T09:01:00Z'),
        unreadCount: 1,
        lastInboundSeq: inbound.message.seq,
      });

      clock.advance(60_000);
      const outbound = await postMessage(store, inbound.conversation, 'Yes, until noon.', {
        direction: 'outbound',
      });
      expect(outbound.conversation).toMatchObject({
        lastMessagePreview: 'Yes, until noon.',
        lastMessageAt: new Date('2026-03-02T09:02:00Z'),
        unreadCount: 1,
        lastInboundSeq: inbound.message.seq,
      });

      const again = await postMessage(store, outbound.conversation, 'Great, thanks');
      expect(again.conversation.unreadCount).toBe(2);
      expect(again.conversation.lastInboundSeq).toBe(again.message.seq);

      await store.conversations.markRead(business.id, conversation.id);
      expect((await store.conversations.getById(business.id, conversation.id))?.unreadCount).toBe(
        0,
      );
    });

    it('keeps the preview short', async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const { conversation } = await createConversation(store, business.id);
      const long = 'a'.repeat(500);
      const noted = await postMessage(store, conversation, long);
      expect(noted.conversation.lastMessagePreview.length).toBeLessThan(long.length);
      expect(long.startsWith(noted.conversation.lastMessagePreview)).toBe(true);
    });
  });

  describe('list', () => {
    it('orders waiting-for-a-person first, then unread, then most recent', async () => {
      const clock = new ManualClock('2026-03-02T09:00:00Z');
      const store = context.storeWith({ clock });
      const business = await createBusiness(store);
      const at = async (minute: number, build: () => Promise<string>) => {
        clock.set(new Date(Date.UTC(2026, 2, 2, 9, minute)));
        return build();
      };

      // Read, most recent of all.
      const recentRead = await at(40, async () => {
        const { conversation } = await createConversation(store, business.id);
        await postMessage(store, conversation, 'thanks, bye');
        await store.conversations.markRead(business.id, conversation.id);
        return conversation.id;
      });
      // Unread, older.
      const olderUnread = await at(10, async () => {
        const { conversation } = await createConversation(store, business.id);
        await postMessage(store, conversation, 'question');
        return conversation.id;
      });
      // Unread, newer.
      const newerUnread = await at(20, async () => {
        const { conversation } = await createConversation(store, business.id);
        await postMessage(store, conversation, 'another question');
        return conversation.id;
      });
      // Waiting for a person, read and oldest: still first.
      const waiting = await at(0, async () => {
        const { conversation } = await createConversation(store, business.id);
        await postMessage(store, conversation, 'I want a person');
        await store.conversations.markRead(business.id, conversation.id);
        await store.conversations.transition(business.id, conversation.id, {
          from: ['agent'],
          to: 'waiting_for_person',
        });
        return conversation.id;
      });
      // Read, older than recentRead.
      const olderRead = await at(30, async () => {
        const { conversation } = await createConversation(store, business.id);
        await postMessage(store, conversation, 'ok', { direction: 'outbound' });
        return conversation.id;
      });

      const listed = await store.conversations.list(business.id);
      expect(listed.map((conversation) => conversation.id)).toEqual([
        waiting,
        newerUnread,
        olderUnread,
        recentRead,
        olderRead,
      ]);

      const onlyWaiting = await store.conversations.list(business.id, {
        state: 'waiting_for_person',
      });
      expect(onlyWaiting.map((conversation) => conversation.id)).toEqual([waiting]);
      const firstTwo = await store.conversations.list(business.id, { limit: 2 });
      expect(firstTwo.map((conversation) => conversation.id)).toEqual([waiting, newerUnread]);
    });
  });

  describe('business scoping', () => {
    it("never reads or changes another business's conversation", async () => {
      const { store } = context;
      const business = await createBusiness(store);
      const other = await createBusiness(store, 'other');
      const { contact, conversation } = await createConversation(store, business.id);
      const { message } = await store.messages.insert({
        businessId: business.id,
        conversationId: conversation.id,
        channel: 'web',
        direction: 'inbound',
        author: 'customer',
        parts: [{ type: 'text', text: 'hello' }],
        status: 'received',
      });
      const noted = await store.conversations.noteMessage(business.id, conversation.id, message);

      expect(await store.conversations.getById(other.id, conversation.id)).toBeNull();
      expect(await store.conversations.list(other.id)).toEqual([]);
      expect(await store.conversations.listForContact(other.id, contact.id)).toEqual([]);
      expect(
        await store.conversations.transition(other.id, conversation.id, {
          from: ['agent'],
          to: 'resolved',
        }),
      ).toBeNull();
      await expect(
        store.conversations.noteMessage(other.id, conversation.id, message),
      ).rejects.toMatchObject({ code: 'not_found' });
      await store.conversations.markRead(other.id, conversation.id);
      await store.conversations.finishTurn(other.id, conversation.id, {
        handledSeq: message.seq,
        failure: { at: '2026-01-01T00:00:00Z', code: 'x', message: 'x' },
      });

      // findOrOpen for another business's contact must not hand out this conversation either.
      const stranger = await createConversation(store, other.id);
      expect(stranger.conversation.id).not.toBe(conversation.id);

      expect(await store.conversations.getById(business.id, conversation.id)).toEqual(noted);
    });
  });
});
