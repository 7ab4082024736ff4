import type { LanguageModelV3GenerateResult } from '@ai-sdk/provider';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeConversationHolder } from '../../src/inbox/change-conversation-holder.js';
import { outbox } from '../../src/store/schema/index.js';
import { gate, generateResult, scriptedModel } from '../support/scripted-model.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { byAgent, useAgentHarness } from './agent-harness.js';
import { waitFor } from './wait-for.js';
import { signInOwner } from './owner-session.js';
import { openWidgetVisitor } from './widget-visitor.js';

/** A model whose one call waits until the test releases it, and says when it has started. */
function gatedModel() {
  const started = gate();
  const release = gate<LanguageModelV3GenerateResult>();
  const model = scriptedModel([
    () => {
      started.open();
      return release.promise;
    },
  ]);
  return {
    model,
    started: started.promise,
    answer: (text: string) => release.open(generateResult([{ type: 'text', text }], 'stop')),
  };
}

describe('a person takes over while the model is thinking', () => {
  const harness = useAgentHarness();

  it('drops the agent reply: nothing stored, nothing sent', async () => {
    const { store, business } = harness;
    const user = await store.users.create({
      businessId: business.id,
      email: `sam-${Date.now()}@northside.test`,
      name: 'Sam Baker',
      role: 'staff',
      passwordHash: 'not-used-here',
    });
    const { model, started, answer } = gatedModel();
    const { conversation } = await harness.customer().write('Can you fit mudguards today?');
    const turn = harness.runTurn(harness.turnDependencies(model.binding), conversation.id);

    await started;
    const taken = await changeConversationHolder(harness.inbox, {
      businessId: business.id,
      conversationId: conversation.id,
      change: 'take-over',
      actor: { kind: 'user', userId: user.id, name: user.name },
    });
    expect(taken.state).toBe('person');
    answer('Yes, bring it in before 4pm!');

    expect(await turn).toEqual({ kind: 'superseded' });
    const messages = await harness.messages(conversation.id);
    expect(byAgent(messages)).toEqual([]);
    expect(messages.map((message) => [message.author, message.text])).toEqual([
      ['customer', 'Can you fit mudguards today?'],
      ['system', "You're now chatting with Sam from Northside Cycles."],
    ]);
    // Only the take-over notice went to the outbox.
    const queued = await harness.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.conversationId, conversation.id));
    expect(queued.map((row) => row.messageId)).toEqual([messages[1]!.id]);
    // The person holds it and the turn is over (not owed again), its model call still recorded.
    expect(await harness.conversation(conversation.id)).toMatchObject({
      state: 'person',
      assignedUserId: user.id,
      agentCursor: conversation.lastInboundSeq,
    });
    const steps = await store.agentSteps.listForConversation(business.id, conversation.id);
    expect(steps).toMatchObject([{ kind: 'model', text: 'Yes, bring it in before 4pm!' }]);
  });
});

describe('take-over during a turn, end to end', () => {
  let parley: TestParley;
  const gated = gatedModel();

  beforeAll(async () => {
    parley = await startTestParley({ model: gated.model.binding });
  });
  afterAll(async () => {
    // Never leave the worker waiting on the gate: stop() waits for running turns.
    gated.answer('late');
    await parley?.stop();
  });

  it('the visitor never sees the agent reply, only the person', async () => {
    const visitor = await openWidgetVisitor(parley);
    const question = await visitor.send('Can you fit mudguards today?');
    await gated.started;

    const owner = await signInOwner(parley);
    const takeOver = await owner.post(`/api/conversations/${question.conversationId}/take-over`);
    expect(takeOver.status).toBe(200);
    gated.answer('Yes, bring it in before 4pm!');

    const { store, business } = parley;
    await waitFor('the superseded turn to finish', async () => {
      const conversation = await store.conversations.getById(business.id, question.conversationId);
      return conversation !== null && conversation.agentCursor >= question.seq;
    });
    const reply = await owner.post(`/api/conversations/${question.conversationId}/messages`, {
      text: 'Hi, Sam here: yes, until 4pm.',
    });
    expect(reply.status).toBe(201);

    const history = await waitFor('the person reply in the history', async () => {
      const messages = await visitor.history();
      return messages.some((message) => message.author === 'person') ? messages : null;
    });
    expect(history.map((message) => [message.author, message.text])).toEqual([
      ['customer', 'Can you fit mudguards today?'],
      ['system', "You're now chatting with Demo from Northside Cycles."],
      ['person', 'Hi, Sam here: yes, until 4pm.'],
    ]);
  });
});
