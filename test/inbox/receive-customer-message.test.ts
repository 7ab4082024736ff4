import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/core/live-events.js';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import { scriptedModel } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { byAgent, useAgentHarness, type AgentHarness } from '../agent/agent-harness.js';

const OWNER_KEY = { kind: 'api_key', apiKeyId: randomUUID() } as const;

/** Records the turn requests published while `work` runs. */
async function turnRequestsDuring(harness: AgentHarness, work: () => Promise<unknown>) {
  const requests: LiveEvent[] = [];
  const unsubscribe = harness.live.subscribe((event) => {
    if (event.type === 'turn-requested') requests.push(event);
  });
  try {
    await work();
  } finally {
    unsubscribe();
  }
  return requests;
}

function noTurnOwed(harness: AgentHarness) {
  return harness.store.conversations.claimPendingTurn(new Date(), new Date(Date.now() + 60_000));
}

describe.each(backends)('a redelivered customer message on %s', (backend) => {
  const harness = useAgentHarness(backend);

  it('is stored once and answered once', async () => {
    const model = scriptedModel([{ text: 'We open at 9am.' }]);
    const customer = harness.customer();
    const channelMessageId = `wamid.${randomUUID()}`;
    let first!: Awaited<ReturnType<typeof customer.write>>;
    let second!: Awaited<ReturnType<typeof customer.write>>;
    const requests = await turnRequestsDuring(harness, async () => {
      first = await customer.write('When do you open?', { channelMessageId });
      second = await customer.write('When do you open?', { channelMessageId });
    });

    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.message.id).toBe(first.message.id);
    expect(requests).toHaveLength(1);
    const conversationId = first.conversation.id;
    const stored = await harness.messages(conversationId);
    expect(stored.map((message) => message.text)).toEqual(['When do you open?']);
    const conversation = await harness.conversation(conversationId);
    expect(conversation).toMatchObject({ lastInboundSeq: first.message.seq, unreadCount: 1 });

    await harness.runTurn(harness.turnDependencies(model.binding), conversationId);
    expect(await noTurnOwed(harness)).toBeNull();

    // A redelivery after the answer changes nothing either.
    const late = await customer.write('When do you open?', { channelMessageId });
    expect(late.duplicate).toBe(true);
    expect(await noTurnOwed(harness)).toBeNull();
    expect(model.calls).toHaveLength(1);
    expect(byAgent(await harness.messages(conversationId))).toHaveLength(1);
  });

  it('is stored once when the copies arrive at the same time', async () => {
    const model = scriptedModel([{ text: 'Yes, click and collect is free.' }]);
    const customer = harness.customer();
    const channelMessageId = `wamid.${randomUUID()}`;
    const copies = await Promise.all(
      Array.from({ length: 4 }, () =>
        customer.write('Can I collect in the shop?', { channelMessageId }),
      ),
    );
    expect(copies.filter((copy) => !copy.duplicate)).toHaveLength(1);
    expect(new Set(copies.map((copy) => copy.message.id)).size).toBe(1);
    expect(new Set(copies.map((copy) => copy.conversation.id)).size).toBe(1);
    const conversationId = copies[0]!.conversation.id;
    expect(await harness.messages(conversationId)).toHaveLength(1);
    expect(
      await harness.store.conversations.listForContact(harness.business.id, copies[0]!.contact.id),
    ).toHaveLength(1);

    await harness.runTurn(harness.turnDependencies(model.binding), conversationId);
    expect(await noTurnOwed(harness)).toBeNull();
    expect(model.calls).toHaveLength(1);
  });

  it('opens no new conversation when it arrives after its conversation was resolved', async () => {
    const customer = harness.customer();
    const channelMessageId = `wamid.${randomUUID()}`;
    const first = await customer.write('Thanks, that is all', { channelMessageId });
    await harness.runTurn(harness.turnDependencies(null), first.conversation.id);
    await changeConversationHolder(harness.inbox, {
      businessId: harness.business.id,
      conversationId: first.conversation.id,
      change: 'resolve',
      actor: OWNER_KEY,
    });

    const late = await customer.write('Thanks, that is all', { channelMessageId });
    expect(late.duplicate).toBe(true);
    expect(late.message.id).toBe(first.message.id);
    expect(late.conversation).toMatchObject({ id: first.conversation.id, state: 'resolved' });
    // The owner's inbox must not gain an empty conversation from a provider's retry.
    const conversations = await harness.store.conversations.listForContact(
      harness.business.id,
      first.contact.id,
    );
    expect(conversations.map((conversation) => conversation.id)).toEqual([first.conversation.id]);
    expect(await noTurnOwed(harness)).toBeNull();
  });
});

describe('a customer writing after their conversation was resolved', () => {
  const harness = useAgentHarness();

  it('gets a new conversation with the agent, and the old one stays resolved', async () => {
    const model = scriptedModel([
      { text: 'Happy riding!' },
      { text: 'Bikes can be returned within 14 days if not ridden outdoors.' },
    ]);
    const deps = harness.turnDependencies(model.binding);
    const customer = harness.customer();
    const first = await customer.write('Thanks for the help!');
    await harness.runTurn(deps, first.conversation.id);
    const resolved = await changeConversationHolder(harness.inbox, {
      businessId: harness.business.id,
      conversationId: first.conversation.id,
      change: 'resolve',
      actor: OWNER_KEY,
    });
    expect(resolved.state).toBe('resolved');

    const again = await customer.write('Actually, can I return a bike?');
    expect(again.conversation.id).not.toBe(first.conversation.id);
    expect(again.conversation).toMatchObject({ state: 'agent', contactId: first.contact.id });
    const outcome = await harness.runTurn(deps, again.conversation.id);
    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });

    expect(byAgent(await harness.messages(again.conversation.id)).map((m) => m.text)).toEqual([
      'Bikes can be returned within 14 days if not ridden outdoors.',
    ]);
    const old = await harness.conversation(first.conversation.id);
    expect(old.state).toBe('resolved');
    expect((await harness.messages(old.id)).map((message) => message.text)).toEqual([
      'Thanks for the help!',
      'Happy riding!',
    ]);
    // The new conversation's model window starts fresh.
    expect(model.calls[1]!.prompt.filter((message) => message.role === 'user')).toHaveLength(1);
  });
});
