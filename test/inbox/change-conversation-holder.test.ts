import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.js';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import type { Actor } from '../../src/inbox/inbox-dependencies.js';
import { replyAsPerson } from '../../src/inbox/reply-as-person.js';
import { scriptedModel, conversationOf } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { byAgent, useAgentHarness, type AgentHarness } from '../agent/agent-harness.js';

async function createStaff(harness: AgentHarness, name: string): Promise<Actor> {
  const user = await harness.store.users.create({
    businessId: harness.business.id,
    email: `${randomUUID()}@northside.test`,
    name,
    role: 'staff',
    passwordHash: 'not-used-here',
  });
  return { kind: 'user', userId: user.id, name: user.name };
}

describe.each(backends)('take over, hand back and reply as a person on %s', (backend) => {
  const harness = useAgentHarness(backend);

  function change(
    conversationId: string,
    kind: 'take-over' | 'hand-back' | 'resolve',
    actor: Actor,
  ) {
    return changeConversationHolder(harness.inbox, {
      businessId: harness.business.id,
      conversationId,
      change: kind,
      actor,
    });
  }

  it('lets exactly one of two simultaneous take-overs win', async () => {
    const alex = await createStaff(harness, 'Alex Green');
    const kim = await createStaff(harness, 'Kim Lee');
    // Several rounds, so that on PostgreSQL the two transactions really overlap at least once.
    for (let round = 0; round < 5; round++) {
      const { conversation } = await harness.customer().write(`I need help (${round})`);
      const results = await Promise.allSettled([
        change(conversation.id, 'take-over', alex),
        change(conversation.id, 'take-over', kim),
      ]);
      const won = results.flatMap((result) =>
        result.status === 'fulfilled' ? [result.value] : [],
      );
      const lost = results.flatMap((result) =>
        result.status === 'rejected' ? [result.reason as unknown] : [],
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(isParleyError(lost[0], 'conflict')).toBe(true);

      const stored = await harness.conversation(conversation.id);
      expect(stored.state).toBe('person');
      expect(stored.assignedUserId).toBe(won[0]!.assignedUserId);
      // The customer is told once, by the winner.
      const notices = (await harness.messages(conversation.id)).filter(
        (message) => message.author === 'system',
      );
      const winnerName =
        won[0]!.assignedUserId === (alex as { userId: string }).userId ? 'Alex' : 'Kim';
      expect(notices.map((message) => message.text)).toEqual([
        `You're now chatting with ${winnerName} from Northside Cycles.`,
      ]);
      const audit = await harness.store.audit.list(harness.business.id, {
        subjectId: conversation.id,
      });
      expect(audit.map((entry) => entry.action)).toEqual(['conversation.take-over']);
    }
  });

  it('refuses a person reply unless a person holds the conversation', async () => {
    const alex = await createStaff(harness, 'Alex Green');
    const { conversation } = await harness.customer().write('Do you have a 54 cm Harbour Road?');
    const reply = (text: string) =>
      replyAsPerson(harness.inbox, {
        businessId: harness.business.id,
        conversationId: conversation.id,
        text,
        actor: alex,
      });

    // The agent holds it.
    await expect(reply('Yes we do')).rejects.toMatchObject({ code: 'conflict' });
    // Handed off, but nobody has taken it yet.
    await harness.store.conversations.transition(harness.business.id, conversation.id, {
      from: ['agent'],
      to: 'waiting_for_person',
      handoffReason: 'test',
    });
    await expect(reply('Yes we do')).rejects.toMatchObject({ code: 'conflict' });

    await change(conversation.id, 'take-over', alex);
    const sent = await reply('  Yes, we have four in stock.  ');
    expect(sent).toMatchObject({
      author: 'person',
      authorUserId: (alex as { userId: string }).userId,
      text: 'Yes, we have four in stock.',
      status: 'pending',
    });
    await expect(reply('   ')).rejects.toMatchObject({ code: 'validation_failed' });

    await change(conversation.id, 'resolve', alex);
    await expect(reply('One more thing')).rejects.toMatchObject({ code: 'conflict' });
    const persons = (await harness.messages(conversation.id)).filter(
      (message) => message.author === 'person',
    );
    expect(persons.map((message) => message.text)).toEqual(['Yes, we have four in stock.']);
  });

  it('after a hand-back the agent skips what it missed and answers the next message', async () => {
    const alex = await createStaff(harness, 'Alex Green');
    const model = scriptedModel([{ text: 'A full service is £95, parts extra.' }]);
    const customer = harness.customer();
    const first = await customer.write('Is my bike ready?');
    await change(first.conversation.id, 'take-over', alex);
    await replyAsPerson(harness.inbox, {
      businessId: harness.business.id,
      conversationId: first.conversation.id,
      text: 'Yes, collect it any time today.',
      actor: alex,
    });
    await customer.write('Great, thanks!');
    const back = await change(first.conversation.id, 'hand-back', alex);
    expect(back).toMatchObject({ state: 'agent', assignedUserId: null, handoffReason: null });

    // Nothing is owed: the customer's messages to the person are not the agent's to answer.
    expect(
      await harness.store.conversations.claimPendingTurn(new Date(), new Date(Date.now() + 60_000)),
    ).toBeNull();

    const next = await customer.write('How much is a full service?');
    expect(next.conversation.id).toBe(first.conversation.id);
    const outcome = await harness.runTurn(
      harness.turnDependencies(model.binding),
      first.conversation.id,
    );
    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    expect(byAgent(await harness.messages(first.conversation.id)).map((m) => m.text)).toEqual([
      'A full service is £95, parts extra.',
    ]);
    // The model reads the person's reply as the business's side and no Parley notices.
    expect(conversationOf(model.calls[0]!.prompt)).toEqual([
      'user: Is my bike ready?',
      'assistant: Yes, collect it any time today.',
      'user: Great, thanks!',
      'user: How much is a full service?',
    ]);
    const notices = (await harness.messages(first.conversation.id))
      .filter((message) => message.author === 'system')
      .map((message) => message.text);
    expect(notices).toEqual([
      "You're now chatting with Alex from Northside Cycles.",
      "You're chatting with the Northside Cycles assistant again.",
    ]);
  });

  it('refuses changes the state does not allow', async () => {
    const alex = await createStaff(harness, 'Alex Green');
    const { conversation } = await harness.customer().write('Hello');
    await expect(change(conversation.id, 'hand-back', alex)).rejects.toMatchObject({
      code: 'conflict',
    });
    await change(conversation.id, 'resolve', alex);
    await expect(change(conversation.id, 'resolve', alex)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(change(conversation.id, 'take-over', alex)).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(change(randomUUID(), 'take-over', alex)).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
