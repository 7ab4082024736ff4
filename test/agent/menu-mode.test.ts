import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagePart } from '../../src/core/message.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { byAgent, useAgentHarness } from './agent-harness.js';
import { signInOwner } from './owner-session.js';
import { openWidgetVisitor } from './widget-visitor.js';

const MENU_CHOICES: MessagePart = {
  type: 'choices',
  choices: [
    { id: 'menu:ask', title: 'Ask a question' },
    { id: 'menu:person', title: 'Talk to a person' },
  ],
};

describe('menu mode (no model)', () => {
  const harness = useAgentHarness();

  /** A new customer writes once; the menu answers. */
  async function menuTurn(content: string | MessagePart[]) {
    const { conversation } = await harness.customer().write(content);
    const outcome = await harness.runTurn(harness.turnDependencies(null), conversation.id);
    const [reply, ...more] = byAgent(await harness.messages(conversation.id));
    expect(more).toEqual([]);
    return {
      outcome,
      reply: reply!,
      conversation: await harness.conversation(conversation.id),
    };
  }

  it('answers a question from the FAQ and offers the menu', async () => {
    const { outcome, reply, conversation } = await menuTurn('Do you deliver? How much is it?');
    expect(outcome).toEqual({ kind: 'replied', mode: 'menu', handedOff: false });
    expect(reply.parts[0]).toMatchObject({ type: 'text' });
    expect(reply.text).toContain('Parts and accessories go by Royal Mail or courier for £4.95');
    expect(reply.parts[1]).toEqual(MENU_CHOICES);
    expect(conversation).toMatchObject({
      state: 'agent',
      agentCursor: conversation.lastInboundSeq,
    });
  });

  it.each([
    ['English', 'Can I talk to a human please?'],
    ['English, "real person"', 'I would like to speak with a real person'],
    ['Spanish', 'Quiero hablar con una persona, por favor'],
    ['German', 'Kann ich bitte mit einem Menschen sprechen?'],
    ['French', 'Je voudrais parler à un conseiller'],
  ])('hands over when the customer asks for a person (%s)', async (_language, text) => {
    const { outcome, reply, conversation } = await menuTurn(text);
    expect(outcome).toEqual({ kind: 'replied', mode: 'menu', handedOff: true });
    expect(reply.text).toContain("I've asked a person from Northside Cycles to reply here.");
    // The customer learns when someone will be there.
    expect(reply.text).toContain('mon 09:00-18:00');
    expect(reply.text).toContain('Europe/London');
    expect(conversation).toMatchObject({
      state: 'waiting_for_person',
      handoffReason: 'customer asked for a person (menu)',
    });
    const audit = await harness.store.audit.list(harness.business.id, {
      subjectId: conversation.id,
    });
    expect(audit).toMatchObject([{ actorType: 'agent', action: 'conversation.handed-off' }]);
  });

  it('hands over when the customer presses "Talk to a person"', async () => {
    const { outcome, conversation } = await menuTurn([
      { type: 'choice-reply', choiceId: 'menu:person', title: 'Talk to a person' },
    ]);
    expect(outcome).toEqual({ kind: 'replied', mode: 'menu', handedOff: true });
    expect(conversation.state).toBe('waiting_for_person');
  });

  it('offers the menu when nothing in the FAQ matches', async () => {
    const { outcome, reply, conversation } = await menuTurn('xylophone quokka zeppelin');
    expect(outcome).toEqual({ kind: 'replied', mode: 'menu', handedOff: false });
    expect(reply.parts).toEqual([
      {
        type: 'text',
        text: "Sorry, I couldn't find an answer to that. You can ask in other words, or talk to a person from Northside Cycles.",
      },
      MENU_CHOICES,
    ]);
    expect(conversation.state).toBe('agent');
  });

  it.each([
    [
      'the "Ask a question" button',
      [{ type: 'choice-reply', choiceId: 'menu:ask', title: 'Ask a question' }],
    ],
    ['an empty message', [{ type: 'text', text: '   ' }]],
    ['a message with no text at all', []],
  ] as Array<[string, MessagePart[]]>)('prompts for a question after %s', async (_what, parts) => {
    const { outcome, reply, conversation } = await menuTurn(parts);
    expect(outcome).toEqual({ kind: 'replied', mode: 'menu', handedOff: false });
    expect(reply.parts).toEqual([
      {
        type: 'text',
        text: "Type your question and I'll look for an answer from Northside Cycles.",
      },
      MENU_CHOICES,
    ]);
    expect(conversation.state).toBe('agent');
  });
});

describe('menu mode in a running Parley, over HTTP', () => {
  let parley: TestParley;

  beforeAll(async () => {
    // What the handover says depends on whether the shop is open: this Parley's clock runs from
    // a Wednesday at 11:00 in London (the demo shop opens 09:00–18:00), whenever the test runs.
    const opensAt = new Date('2026-06-10T10:00:00Z').getTime();
    const offset = opensAt - Date.now();
    const clock = { now: () => new Date(Date.now() + offset) };
    parley = await startTestParley({ model: null, overrides: { clock } });
  });
  afterAll(() => parley?.stop());

  it('answers, hands over on the button, and starts afresh after the owner resolves', async () => {
    const visitor = await openWidgetVisitor(parley);
    await visitor.send('Which payment methods do you accept?');
    const [answer] = await visitor.waitForAgentMessages(1);
    expect(answer!.text).toContain('We take Visa, Mastercard, American Express');
    expect(answer!.parts[1]).toEqual(MENU_CHOICES);

    const pressed = await visitor.choose('menu:person', 'Talk to a person');
    const [, handover] = await visitor.waitForAgentMessages(2);
    // In a running Parley the handoff policy sees the request before menu mode does.
    expect(handover!.text).toContain("I've asked a person from Northside Cycles to take over.");

    const owner = await signInOwner(parley);
    const waiting = await owner.get('/api/conversations?state=waiting_for_person');
    const { conversations } = (await waiting.json()) as {
      conversations: Array<{ id: string; handoffReason: string | null }>;
    };
    expect(conversations).toContainEqual(
      expect.objectContaining({
        id: pressed.conversationId,
        handoffReason: 'customer asked for a person: the "Talk to a person" button',
      }),
    );

    expect((await owner.post(`/api/conversations/${pressed.conversationId}/resolve`)).status).toBe(
      200,
    );
    const again = await visitor.send('Do you take trade-ins?');
    expect(again.conversationId).not.toBe(pressed.conversationId);
    const [, , fresh] = await visitor.waitForAgentMessages(3);
    expect(fresh!.conversationId).toBe(again.conversationId);
    expect(fresh!.text).toContain('Bring your old bike in and we will value it');
    const [newest, resolved] = await visitor.conversations();
    expect(newest).toMatchObject({ id: again.conversationId, state: 'agent' });
    expect(resolved).toMatchObject({ id: pressed.conversationId, state: 'resolved' });
  });
});
