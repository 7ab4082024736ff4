import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/store/schema/index.js';
import {
  conversationOf,
  scriptedModel,
  systemPromptOf,
  toolResultsOf,
  type ScriptedModel,
} from '../support/scripted-model.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { byAgent, useAgentHarness } from './agent-harness.js';
import { waitFor } from './wait-for.js';
import { openWidgetVisitor } from './widget-visitor.js';

// Verbatim from examples/demo-shop.yaml: the tool must read it from the database, not the test.
const RETURNS_ANSWER = 'You can return unused items in their original packaging within 30 days';

describe('a turn with a model, end to end', () => {
  let parley: TestParley;
  let model: ScriptedModel;

  beforeAll(async () => {
    model = scriptedModel(
      [
        {
          toolCalls: [{ toolName: 'search_knowledge', input: { query: 'returns policy refund' } }],
          inputTokens: 812,
          outputTokens: 17,
        },
        {
          text: 'You can return unused items within 30 days for a full refund.',
          inputTokens: 1_020,
          outputTokens: 24,
        },
      ],
      { name: 'qwen2.5:7b-instruct' },
    );
    parley = await startTestParley({ model: model.binding });
  });
  afterAll(() => parley?.stop());

  it('searches the real FAQ, replies, sends the reply and records every step', async () => {
    const visitor = await openWidgetVisitor(parley);
    const question = await visitor.send('Hi, what is your returns policy?');

    // The visitor sees the reply over the widget API.
    const [reply] = await visitor.waitForAgentMessages(1);
    expect(reply!.text).toBe('You can return unused items within 30 days for a full refund.');
    expect(model.remaining()).toBe(0);

    const { store, business } = parley;
    const conversationId = question.conversationId;
    const stored = await store.messages.getById(business.id, reply!.id);
    expect(stored).toMatchObject({
      conversationId,
      direction: 'outbound',
      author: 'agent',
      parts: [{ type: 'text', text: reply!.text }],
    });

    // The outbox delivered it: the row is sent and the message is marked sent.
    await waitFor('the reply to be marked sent', async () => {
      const message = await store.messages.getById(business.id, reply!.id);
      return message?.status === 'sent';
    });
    const outboxRows = await parley.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.messageId, reply!.id));
    expect(outboxRows).toHaveLength(1);
    expect(outboxRows[0]).toMatchObject({ status: 'sent', conversationId, channel: 'web' });

    // Steps: model asks for the tool, the tool runs against the stored FAQ, model answers.
    const steps = await store.agentSteps.listForConversation(business.id, conversationId);
    expect(steps.map((step) => step.kind)).toEqual(['model', 'tool', 'model']);
    const [askForTool, toolStep, answer] = steps;
    expect(askForTool).toMatchObject({
      kind: 'model',
      model: 'qwen2.5:7b-instruct',
      inputTokens: 812,
      outputTokens: 17,
      finishReason: 'tool-calls',
    });
    expect(answer).toMatchObject({
      kind: 'model',
      model: 'qwen2.5:7b-instruct',
      inputTokens: 1_020,
      outputTokens: 24,
      finishReason: 'stop',
      text: reply!.text,
    });
    for (const step of steps) {
      expect(step.latencyMs).toBeGreaterThanOrEqual(0);
      expect(step.turnId).toBe(steps[0]!.turnId);
    }
    expect(steps.map((step) => step.index)).toEqual([0, 1, 2]);
    expect(toolStep).toMatchObject({
      kind: 'tool',
      toolName: 'search_knowledge',
      input: { query: 'returns policy refund' },
      error: null,
    });
    const output = (toolStep as { output: { results: Array<{ source: string; text: string }> } })
      .output;
    expect(output.results[0]).toMatchObject({ source: 'FAQ: What is your returns policy?' });
    expect(output.results[0]!.text).toContain(RETURNS_ANSWER);
    // The model got that same output back as the tool result.
    expect(JSON.stringify(toolResultsOf(model.calls[1]!))).toContain(RETURNS_ANSWER);

    // The turn is done: the cursor is at the question, nothing failed, the agent still holds it.
    const conversation = await store.conversations.getById(business.id, conversationId);
    expect(conversation).toMatchObject({
      state: 'agent',
      agentCursor: question.seq,
      lastInboundSeq: question.seq,
      lastFailure: null,
    });
    expect(await store.conversations.claimPendingTurn(new Date(), new Date())).toBeNull();
  });
});

describe("the model's prompt", () => {
  const harness = useAgentHarness();

  it('holds the business profile, opening hours, instructions and tools', async () => {
    const model = scriptedModel([{ text: 'We are open until 6pm today.' }]);
    const customer = harness.customer();
    const { conversation } = await customer.write('When are you open?');
    await harness.runTurn(harness.turnDependencies(model.binding), conversation.id);

    const system = systemPromptOf(model.calls[0]!);
    expect(system).toContain('Northside Cycles');
    expect(system).toContain('Independent bike shop and repair workshop in north Manchester.');
    expect(system).toContain('friendly, down to earth and concise');
    expect(system).toContain('Europe/London');
    expect(system).toContain('mon: 09:00-18:00');
    expect(system).toContain('sat: 10:00-16:00');
    expect(system).toContain('sun: closed');
    expect(system).toContain('Never quote repair prices that are not listed services');
    expect(system).toContain('search_knowledge, request_human');
    // The tools are offered to the model as callable functions too.
    expect(model.calls[0]!.tools?.map((tool) => tool.name)).toEqual([
      'search_knowledge',
      'request_human',
    ]);
  });

  it('carries the conversation in order, capped at historyMessages', async () => {
    const replies = ['r1', 'r2', 'r3', 'r4'];
    const model = scriptedModel(replies.map((text) => ({ text })));
    const customer = harness.customer();
    let conversationId = '';
    for (const [index, historyMessages] of [20, 20, 20, 4].entries()) {
      const { conversation } = await customer.write(`m${index + 1}`);
      conversationId = conversation.id;
      const outcome = await harness.runTurn(
        harness.turnDependencies(model.binding, { historyMessages }),
        conversation.id,
      );
      expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    }

    expect(conversationOf(model.calls[0]!.prompt)).toEqual(['user: m1']);
    expect(conversationOf(model.calls[2]!.prompt)).toEqual([
      'user: m1',
      'assistant: r1',
      'user: m2',
      'assistant: r2',
      'user: m3',
    ]);
    // The newest 4 messages are r2, m3, r3, m4; a window must start with the customer's side.
    expect(conversationOf(model.calls[3]!.prompt)).toEqual([
      'user: m3',
      'assistant: r3',
      'user: m4',
    ]);
    const texts = byAgent(await harness.messages(conversationId)).map((message) => message.text);
    expect(texts).toEqual(replies);
  });
});
