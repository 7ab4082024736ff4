import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store.js';
import { backends } from '../support/test-database.js';
import {
  createBusiness,
  createConversation,
  newMessage,
  useContractDatabase,
} from './contract-fixtures.js';

const T0 = new Date('2026-03-02T09:00:00Z');
const seconds = (count: number) => new Date(T0.getTime() + count * 1000);

// The outbox is installation-wide, so each test starts from empty tables.
describe.each(backends)('outbox contract on %s', (backend) => {
  const context = useContractDatabase(backend);
  beforeEach(() => context.truncate());

  /** Enqueues one reply per entry of `dueAt`, each for its own stored message. */
  async function enqueueReplies(store: Store, dueAt: readonly Date[]) {
    const business = await createBusiness(store);
    const { conversation } = await createConversation(store, business.id, 'whatsapp');
    const items = [];
    for (const at of dueAt) {
      const { message } = await store.messages.insert(
        newMessage(conversation, 'reply', { direction: 'outbound' }),
      );
      items.push(
        await store.outbox.enqueue({
          businessId: business.id,
          messageId: message.id,
          conversationId: conversation.id,
          channel: 'whatsapp',
          at,
        }),
      );
    }
    return items;
  }

  it('enqueues a pending item with no attempts yet', async () => {
    const { store } = context;
    const [item] = await enqueueReplies(store, [T0]);
    expect(item).toMatchObject({
      channel: 'whatsapp',
      attempts: 0,
      status: 'pending',
      nextAttemptAt: T0,
      lastError: null,
    });
    expect(await store.outbox.pendingCount()).toBe(1);
  });

  it('claims due items only, oldest first, counting the attempt', async () => {
    const { store } = context;
    const [later, due, future] = await enqueueReplies(store, [
      seconds(-5),
      seconds(-10),
      seconds(60),
    ]);
    const claimed = await store.outbox.claimDue(T0, seconds(30), 10);
    expect(claimed.map((item) => item.id)).toEqual([due!.id, later!.id]);
    expect(claimed.every((item) => item.attempts === 1)).toBe(true);
    expect(claimed.map((item) => item.id)).not.toContain(future!.id);

    // Once its time comes, the future item is claimable too.
    const afterwards = await store.outbox.claimDue(seconds(61), seconds(90), 10);
    expect(afterwards.map((item) => item.id)).toContain(future!.id);
  });

  it('honours the limit', async () => {
    const { store } = context;
    await enqueueReplies(store, [seconds(-3), seconds(-2), seconds(-1)]);
    expect(await store.outbox.claimDue(T0, seconds(30), 2)).toHaveLength(2);
    expect(await store.outbox.claimDue(T0, seconds(30), 2)).toHaveLength(1);
  });

  it('does not hand out a leased item until its lease has passed', async () => {
    const { store } = context;
    const [item] = await enqueueReplies(store, [T0]);
    expect((await store.outbox.claimDue(T0, seconds(30), 10)).map((i) => i.id)).toEqual([item!.id]);
    expect(await store.outbox.claimDue(seconds(10), seconds(40), 10)).toEqual([]);
    // The dispatcher holding it died: after the lease, the item is retried as a new attempt.
    const retried = await store.outbox.claimDue(seconds(31), seconds(60), 10);
    expect(retried.map((i) => [i.id, i.attempts])).toEqual([[item!.id, 2]]);
  });

  it('concurrent claims never get the same item', async () => {
    const { store } = context;
    // Several rounds, so that on PostgreSQL the claims really overlap at least once.
    for (let round = 0; round < 5; round++) {
      const items = await enqueueReplies(
        store,
        Array.from({ length: 12 }, (_, index) => seconds(-index - 1)),
      );
      const claims = await Promise.all(
        Array.from({ length: 4 }, () => store.outbox.claimDue(T0, seconds(30), 3)),
      );
      const claimedIds = claims.flat().map((item) => item.id);
      expect(claimedIds.sort()).toEqual(items.map((item) => item.id).sort());
      expect(claims.flat().every((item) => item.attempts === 1)).toBe(true);
      for (const id of claimedIds) await store.outbox.markSent(id);
    }
  });

  it('reschedule releases the item for a later attempt and keeps the error', async () => {
    const { store } = context;
    const [item] = await enqueueReplies(store, [T0]);
    await store.outbox.claimDue(T0, seconds(30), 10);
    await store.outbox.reschedule(item!.id, seconds(20), 'HTTP 503 from the provider');

    expect(await store.outbox.claimDue(seconds(10), seconds(40), 10)).toEqual([]);
    const [retried] = await store.outbox.claimDue(seconds(20), seconds(50), 10);
    expect(retried).toMatchObject({
      id: item!.id,
      attempts: 2,
      status: 'pending',
      nextAttemptAt: seconds(20),
      lastError: 'HTTP 503 from the provider',
    });
    expect(await store.outbox.pendingCount()).toBe(1);
  });

  it('markSent and markFailed take items out of the queue', async () => {
    const { store } = context;
    const [sent, failed, waiting] = await enqueueReplies(store, [T0, T0, seconds(600)]);
    expect(await store.outbox.pendingCount()).toBe(3);
    await store.outbox.claimDue(T0, seconds(30), 10);
    await store.outbox.markSent(sent!.id);
    await store.outbox.markFailed(failed!.id, 'recipient unknown');
    expect(await store.outbox.pendingCount()).toBe(1);

    // Neither comes back, even long after their lease.
    const later = await store.outbox.claimDue(seconds(3600), seconds(3630), 10);
    expect(later.map((item) => item.id)).toEqual([waiting!.id]);
  });
});
