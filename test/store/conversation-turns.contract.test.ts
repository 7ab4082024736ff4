import { beforeEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/core/conversation.js';
import type { Store } from '../../src/core/store.js';
import { backends } from '../support/test-database.js';
import {
  createBusiness,
  createConversation,
  postMessage,
  useContractDatabase,
} from './contract-fixtures.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const LEASE = new Date('2026-03-02T09:01:00Z');
const AFTER_LEASE = new Date('2026-03-02T09:02:00Z');
const LATER_LEASE = new Date('2026-03-02T09:03:00Z');

// The turn queue is installation-wide, so each test starts from empty tables.
describe.each(backends)('conversation turn claims contract on %s', (backend) => {
  const context = useContractDatabase(backend);
  beforeEach(() => context.truncate());

  /** A conversation owing the agent a turn: one customer message past the cursor. */
  async function owingTurn(store: Store, businessId: string): Promise<Conversation> {
    const { conversation } = await createConversation(store, businessId);
    return (await postMessage(store, conversation, 'hello?')).conversation;
  }

  it('claims only agent conversations with an unanswered customer message', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    // Nothing inbound yet.
    await createConversation(store, business.id);
    // Only our own reply.
    const replied = await createConversation(store, business.id);
    await postMessage(store, replied.conversation, 'Welcome!', { direction: 'outbound' });
    // Held by a person, or waiting for one: the agent stays silent.
    for (const to of ['person', 'waiting_for_person'] as const) {
      const held = await owingTurn(store, business.id);
      await store.conversations.transition(business.id, held.id, { from: ['agent'], to });
    }
    // Already answered.
    const answered = await owingTurn(store, business.id);
    await store.conversations.finishTurn(business.id, answered.id, {
      handledSeq: answered.lastInboundSeq,
      failure: null,
    });
    expect(await store.conversations.claimPendingTurn(NOW, LEASE)).toBeNull();

    const pending = await owingTurn(store, business.id);
    const claimed = await store.conversations.claimPendingTurn(NOW, LEASE);
    expect(claimed?.id).toBe(pending.id);
    expect(claimed?.lastInboundSeq).toBeGreaterThan(claimed?.agentCursor ?? Infinity);
  });

  it('does not hand out a conversation whose lease is live, and reclaims an expired one', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const pending = await owingTurn(store, business.id);
    expect((await store.conversations.claimPendingTurn(NOW, LEASE))?.id).toBe(pending.id);
    expect(await store.conversations.claimPendingTurn(NOW, LEASE)).toBeNull();
    // The worker holding it died: once its lease has passed, another worker takes the turn.
    expect((await store.conversations.claimPendingTurn(AFTER_LEASE, LATER_LEASE))?.id).toBe(
      pending.id,
    );
    expect(await store.conversations.claimPendingTurn(AFTER_LEASE, LATER_LEASE)).toBeNull();
  });

  it('concurrent claims never get the same conversation', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const only = await owingTurn(store, business.id);
    const single = await Promise.all([
      store.conversations.claimPendingTurn(NOW, LEASE),
      store.conversations.claimPendingTurn(NOW, LEASE),
    ]);
    expect(single.filter((claim) => claim !== null).map((claim) => claim.id)).toEqual([only.id]);
    await store.conversations.finishTurn(business.id, only.id, {
      handledSeq: only.lastInboundSeq,
      failure: null,
    });

    // Several rounds, so that on PostgreSQL the claims really overlap at least once.
    for (let round = 0; round < 5; round++) {
      const pending = [];
      for (let index = 0; index < 3; index++) pending.push(await owingTurn(store, business.id));
      const claims = await Promise.all(
        Array.from({ length: 6 }, () => store.conversations.claimPendingTurn(NOW, LEASE)),
      );
      const claimed = claims.filter((claim) => claim !== null);
      expect(claimed.map((claim) => claim.id).sort()).toEqual(
        pending.map((conversation) => conversation.id).sort(),
      );
      for (const claim of claimed) {
        await store.conversations.finishTurn(business.id, claim.id, {
          handledSeq: claim.lastInboundSeq,
          failure: null,
        });
      }
    }
  });

  it('finishTurn advances the cursor and drops the lease', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const pending = await owingTurn(store, business.id);
    const claimed = await store.conversations.claimPendingTurn(NOW, LEASE);
    const handledSeq = claimed!.lastInboundSeq;
    // The customer writes again while the turn runs.
    const during = await postMessage(store, pending, 'also, do you deliver?');

    await store.conversations.finishTurn(business.id, pending.id, { handledSeq, failure: null });
    const finished = await store.conversations.getById(business.id, pending.id);
    expect(finished?.agentCursor).toBe(handledSeq);
    // The lease is gone: the newer message is claimable at once, before the old lease would end.
    const next = await store.conversations.claimPendingTurn(NOW, LEASE);
    expect(next?.id).toBe(pending.id);

    await store.conversations.finishTurn(business.id, pending.id, {
      handledSeq: during.message.seq,
      failure: null,
    });
    expect((await store.conversations.getById(business.id, pending.id))?.agentCursor).toBe(
      during.message.seq,
    );
    expect(await store.conversations.claimPendingTurn(NOW, LEASE)).toBeNull();
  });

  it('finishTurn records a failure and a later success clears it', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const pending = await owingTurn(store, business.id);
    const failure = { at: NOW.toISOString(), code: 'model_unavailable', message: 'timed out' };
    await store.conversations.claimPendingTurn(NOW, LEASE);
    await store.conversations.finishTurn(business.id, pending.id, {
      handledSeq: pending.lastInboundSeq,
      failure,
    });
    expect((await store.conversations.getById(business.id, pending.id))?.lastFailure).toEqual(
      failure,
    );
    await store.conversations.finishTurn(business.id, pending.id, {
      handledSeq: pending.lastInboundSeq,
      failure: null,
    });
    expect((await store.conversations.getById(business.id, pending.id))?.lastFailure).toBeNull();
  });

  it('releaseTurn drops the lease without advancing the cursor', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const pending = await owingTurn(store, business.id);
    await store.conversations.claimPendingTurn(NOW, LEASE);
    await store.conversations.releaseTurn(business.id, pending.id);
    expect((await store.conversations.getById(business.id, pending.id))?.agentCursor).toBe(0);
    expect((await store.conversations.claimPendingTurn(NOW, LEASE))?.id).toBe(pending.id);
  });

  it('releaseTurn with a retry time keeps the turn from being claimed until then', async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const pending = await owingTurn(store, business.id);
    await store.conversations.claimPendingTurn(NOW, LEASE);
    const retryAt = new Date(NOW.getTime() + 5_000);
    await store.conversations.releaseTurn(business.id, pending.id, retryAt);
    expect(await store.conversations.claimPendingTurn(NOW, LEASE)).toBeNull();
    const later = new Date(retryAt.getTime() + 1);
    expect((await store.conversations.claimPendingTurn(later, LEASE))?.id).toBe(pending.id);
  });

  it("finishTurn and releaseTurn ignore another business's conversation", async () => {
    const { store } = context;
    const business = await createBusiness(store);
    const other = await createBusiness(store, 'other');
    const pending = await owingTurn(store, business.id);
    await store.conversations.claimPendingTurn(NOW, LEASE);
    await store.conversations.releaseTurn(other.id, pending.id);
    await store.conversations.finishTurn(other.id, pending.id, {
      handledSeq: pending.lastInboundSeq,
      failure: null,
    });
    expect((await store.conversations.getById(business.id, pending.id))?.agentCursor).toBe(0);
    // Still leased to the first worker.
    expect(await store.conversations.claimPendingTurn(NOW, LEASE)).toBeNull();
  });
});
