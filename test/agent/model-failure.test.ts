import { APICallError } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCircuit } from '../../src/agent/model-circuit.js';
import { systemClock } from '../../src/core/clock.js';
import { scriptedModel } from '../support/scripted-model.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';
import { byAgent, useAgentHarness } from './agent-harness.js';
import { openWidgetVisitor } from './widget-visitor.js';

const HONEST_FAILURE =
  "Sorry, I can't answer properly right now. I've asked a person from Northside Cycles to reply to you here.";

function serverError(status = 500): APICallError {
  return new APICallError({
    message: 'Internal Server Error',
    url: 'http://model.test/v1/chat/completions',
    requestBodyValues: {},
    statusCode: status,
    isRetryable: true,
  });
}

describe('model failures', () => {
  const harness = useAgentHarness();

  it.each([
    {
      failure: 'an HTTP 500',
      firstAttempt: [{ fail: serverError() }],
      code: 'model_server_error',
      timeoutMs: 10_000,
    },
    {
      failure: 'a timeout',
      firstAttempt: [{ hang: true as const }],
      code: 'model_timeout',
      timeoutMs: 300,
    },
    {
      failure: 'malformed tool calls until the step limit',
      firstAttempt: [
        { toolCalls: [{ toolName: 'search_knowledge', input: '{"query": ' }] },
        { toolCalls: [{ toolName: 'search_knowledge', input: { question: 'returns' } }] },
      ],
      code: 'model_output_invalid',
      timeoutMs: 10_000,
    },
  ])(
    'retries once after $failure and sends one reply',
    async ({ firstAttempt, code, timeoutMs }) => {
      const model = scriptedModel([...firstAttempt, { text: 'Delivery is £4.95.' }], { timeoutMs });
      const customer = harness.customer();
      const { conversation } = await customer.write('How much is delivery?');
      const outcome = await harness.runTurn(
        harness.turnDependencies(model.binding, { maxSteps: 2 }),
        conversation.id,
      );

      expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
      expect(model.remaining()).toBe(0);
      const replies = byAgent(await harness.messages(conversation.id));
      expect(replies.map((message) => message.text)).toEqual(['Delivery is £4.95.']);
      const steps = await harness.store.agentSteps.listForConversation(
        harness.business.id,
        conversation.id,
      );
      expect(steps.filter((step) => step.kind === 'error')).toMatchObject([
        { kind: 'error', code },
      ]);
      expect(steps.at(-1)).toMatchObject({ kind: 'model', text: 'Delivery is £4.95.' });
      // A retried success is a success: nothing to show the owner, the agent keeps the thread.
      expect(await harness.conversation(conversation.id)).toMatchObject({
        state: 'agent',
        lastFailure: null,
        agentCursor: conversation.lastInboundSeq,
      });
    },
  );

  it('lets the model correct a malformed tool call within the same attempt', async () => {
    const model = scriptedModel([
      { toolCalls: [{ toolName: 'search_knowledge', input: '{"query": "deliv' }] },
      { toolCalls: [{ toolName: 'search_knowledge', input: { query: 'delivery cost' } }] },
      { text: 'Parts go for £4.95, free over £50.' },
    ]);
    const { conversation } = await harness.customer().write('Do you deliver?');
    const outcome = await harness.runTurn(harness.turnDependencies(model.binding), conversation.id);

    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    const steps = await harness.store.agentSteps.listForConversation(
      harness.business.id,
      conversation.id,
    );
    const toolSteps = steps.filter((step) => step.kind === 'tool');
    expect(toolSteps).toHaveLength(2);
    expect(toolSteps[0]!.error).toContain('Invalid input for tool search_knowledge');
    expect(toolSteps[1]!.error).toBeNull();
    expect(JSON.stringify(toolSteps[1]!.output)).toContain('Royal Mail or courier for £4.95');
    expect(steps.some((step) => step.kind === 'error')).toBe(false);
  });

  it('gives up after two failed attempts: honest reply, handed to a person, circuit open', async () => {
    const circuit = new ModelCircuit(systemClock);
    const model = scriptedModel([{ fail: serverError(503) }, { fail: serverError(502) }]);
    const deps = harness.turnDependencies(model.binding, { circuit });
    const { conversation } = await harness.customer().write('Is the Canal Hybrid in stock?');
    const outcome = await harness.runTurn(deps, conversation.id);

    expect(outcome).toEqual({ kind: 'replied', mode: 'failure', handedOff: true });
    const replies = byAgent(await harness.messages(conversation.id));
    expect(replies.map((message) => message.text)).toEqual([HONEST_FAILURE]);
    const failed = await harness.conversation(conversation.id);
    expect(failed).toMatchObject({
      state: 'waiting_for_person',
      handoffReason: 'the model failed (model_server_error)',
      lastFailure: { code: 'model_server_error' },
      agentCursor: conversation.lastInboundSeq,
    });
    expect(failed.lastFailure!.message).toContain('HTTP 502');
    const steps = await harness.store.agentSteps.listForConversation(
      harness.business.id,
      conversation.id,
    );
    expect(steps.map((step) => step.kind)).toEqual(['error', 'error']);
    const audit = await harness.store.audit.list(harness.business.id, {
      subjectId: conversation.id,
    });
    expect(audit).toMatchObject([
      {
        actorType: 'agent',
        action: 'conversation.handed-off',
        details: { reason: 'the model failed (model_server_error)' },
      },
    ]);

    // The next customer is not made to wait for the broken model: menus, at once.
    const callsBefore = model.calls.length;
    const next = await harness.customer().write('How do I know which bike size I need?');
    const menuOutcome = await harness.runTurn(deps, next.conversation.id);
    expect(menuOutcome).toEqual({ kind: 'replied', mode: 'menu', handedOff: false });
    expect(model.calls).toHaveLength(callsBefore);
    const [menuReply] = byAgent(await harness.messages(next.conversation.id));
    expect(menuReply!.text).toContain('Each bike lists its sizes with a height range.');
    expect(menuReply!.parts).toContainEqual({
      type: 'choices',
      choices: [
        { id: 'menu:ask', title: 'Ask a question' },
        { id: 'menu:person', title: 'Talk to a person' },
      ],
    });
    expect(await harness.conversation(next.conversation.id)).toMatchObject({
      state: 'agent',
      lastFailure: null,
    });
  });
});

describe('request_human', () => {
  const harness = useAgentHarness();

  it('hands the conversation to a person, audits it, and the agent then stays silent', async () => {
    const model = scriptedModel([
      {
        toolCalls: [
          { toolName: 'request_human', input: { reason: 'customer wants a refund decision' } },
        ],
      },
      { text: 'I have asked a colleague to reply here shortly.' },
    ]);
    const deps = harness.turnDependencies(model.binding);
    const customer = harness.customer();
    const { conversation } = await customer.write('My new bike is broken, I want my money back');
    const outcome = await harness.runTurn(deps, conversation.id);

    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: true });
    expect(await harness.conversation(conversation.id)).toMatchObject({
      state: 'waiting_for_person',
      handoffReason: 'customer wants a refund decision',
    });
    const audit = await harness.store.audit.list(harness.business.id, {
      subjectId: conversation.id,
    });
    expect(audit).toMatchObject([
      {
        actorType: 'agent',
        action: 'conversation.handed-off',
        subjectType: 'conversation',
        details: { reason: 'customer wants a refund decision' },
      },
    ]);
    const steps = await harness.store.agentSteps.listForConversation(
      harness.business.id,
      conversation.id,
    );
    expect(steps.find((step) => step.kind === 'tool')).toMatchObject({
      toolName: 'request_human',
      input: { reason: 'customer wants a refund decision' },
      output: { status: 'handed_off' },
    });

    // The customer writes again: no turn is owed, so the agent never sees it.
    const again = await customer.write('Hello? Anyone there?');
    expect(again.conversation.id).toBe(conversation.id);
    expect(again.conversation.state).toBe('waiting_for_person');
    expect(
      await harness.store.conversations.claimPendingTurn(new Date(), new Date(Date.now() + 60_000)),
    ).toBeNull();
    expect(byAgent(await harness.messages(conversation.id))).toHaveLength(1);
    expect(model.calls).toHaveLength(2);
  });
});

describe('the circuit in a running Parley', () => {
  let parley: TestParley;
  const model = scriptedModel([{ fail: serverError() }, { fail: serverError() }]);

  beforeAll(async () => {
    parley = await startTestParley({ model: model.binding });
  });
  afterAll(() => parley?.stop());

  it('after a failed turn, the next visitor gets the menu without the model being called', async () => {
    const first = await openWidgetVisitor(parley);
    await first.send('Do you have the Canal Hybrid in XL?');
    const [failure] = await first.waitForAgentMessages(1);
    expect(failure!.text).toBe(HONEST_FAILURE);
    const [held] = await first.conversations();
    expect(held).toMatchObject({
      state: 'waiting_for_person',
      lastFailure: { code: 'model_server_error' },
    });

    const second = await openWidgetVisitor(parley);
    await second.send('What warranty do your bikes have?');
    const [menu] = await second.waitForAgentMessages(1);
    expect(menu!.text).toContain('Frames carry the manufacturer');
    expect(menu!.parts.map((part) => part.type)).toEqual(['text', 'choices']);
    expect(model.calls).toHaveLength(2);
    const [open] = await second.conversations();
    expect(open).toMatchObject({ state: 'agent', lastFailure: null });
  });
});
