import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpenAICompatibleModel,
  listServedModels,
} from '../../src/models/openai-compatible-model.js';
import { startOpenAIStubServer, type OpenAIStubServer } from '../support/openai-stub-server.js';
import { startTestParley } from '../support/test-parley.js';
import { byAgent, useAgentHarness } from './agent-harness.js';
import { waitFor } from './wait-for.js';
import { openWidgetVisitor } from './widget-visitor.js';

const DELIVERY_ANSWER = 'Parts and accessories go by Royal Mail or courier for £4.95';

describe('the OpenAI-compatible provider over real HTTP', () => {
  const harness = useAgentHarness();
  let stub: OpenAIStubServer;

  beforeAll(async () => {
    stub = await startOpenAIStubServer({ models: ['qwen2.5:7b-instruct', 'llama3.1:8b'] });
  });
  afterAll(() => stub?.close());
  afterEach(() => {
    // A test that left scripted replies unused expected calls that never came.
    expect(stub.remaining()).toBe(0);
    stub.requests.length = 0;
  });

  function binding(timeoutMs = 5_000) {
    return createOpenAICompatibleModel({
      baseUrl: `${stub.baseUrl}/`,
      name: 'qwen2.5:7b-instruct',
      timeoutMs,
    });
  }

  async function turn(question: string, timeoutMs?: number) {
    const { conversation } = await harness.customer().write(question);
    const outcome = await harness.runTurn(
      harness.turnDependencies(binding(timeoutMs)),
      conversation.id,
    );
    const steps = await harness.store.agentSteps.listForConversation(
      harness.business.id,
      conversation.id,
    );
    return {
      outcome,
      steps,
      replies: byAgent(await harness.messages(conversation.id)).map((message) => message.text),
      conversation: await harness.conversation(conversation.id),
    };
  }

  it('lists the served models', async () => {
    expect(await listServedModels({ baseUrl: stub.baseUrl })).toEqual([
      'qwen2.5:7b-instruct',
      'llama3.1:8b',
    ]);
    expect(stub.requests).toMatchObject([{ method: 'GET', path: '/v1/models' }]);
  });

  it('sends the prompt and tools, and stores a plain reply with its token counts', async () => {
    stub.script({ text: 'We open at 9am on weekdays.', promptTokens: 431, completionTokens: 9 });
    const { outcome, steps, replies } = await turn('When do you open?');

    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    expect(replies).toEqual(['We open at 9am on weekdays.']);
    expect(steps).toMatchObject([
      {
        kind: 'model',
        model: 'qwen2.5:7b-instruct',
        inputTokens: 431,
        outputTokens: 9,
        finishReason: 'stop',
      },
    ]);
    const [request] = stub.chatRequests();
    expect(request!.model).toBe('qwen2.5:7b-instruct');
    expect(request!.messages[0]!.role).toBe('system');
    expect(request!.messages[0]!.content).toContain('Northside Cycles');
    expect(request!.messages.at(-1)).toEqual({ role: 'user', content: 'When do you open?' });
    expect(request!.tools?.map((tool) => tool.function.name)).toEqual([
      'search_knowledge',
      'request_human',
    ]);
  });

  it('runs a tool call round trip', async () => {
    stub.script(
      {
        toolCalls: [
          { id: 'call_abc', name: 'search_knowledge', arguments: { query: 'delivery cost' } },
        ],
      },
      (body) => {
        const toolMessage = body.messages.find((message) => message.role === 'tool');
        return toolMessage?.tool_call_id === 'call_abc' &&
          String(toolMessage.content).includes(DELIVERY_ANSWER)
          ? { text: 'Delivery is £4.95, free over £50.' }
          : { status: 400, message: 'expected the search_knowledge result' };
      },
    );
    const { outcome, steps, replies } = await turn('How much is delivery?');

    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    expect(replies).toEqual(['Delivery is £4.95, free over £50.']);
    expect(steps.map((step) => step.kind)).toEqual(['model', 'tool', 'model']);
    expect(steps[1]).toMatchObject({
      toolName: 'search_knowledge',
      toolCallId: 'call_abc',
      input: { query: 'delivery cost' },
      error: null,
    });
    // The second request replays the assistant's tool call before the tool's answer.
    const second = stub.chatRequests()[1]!;
    const assistant = second.messages.find((message) => message.tool_calls);
    expect(assistant!.tool_calls![0]).toMatchObject({
      id: 'call_abc',
      function: { name: 'search_knowledge' },
    });
    expect(JSON.parse(assistant!.tool_calls![0]!.function.arguments)).toEqual({
      query: 'delivery cost',
    });
  });

  it('retries after an HTTP 500 and replies', async () => {
    stub.script({ status: 500, message: 'CUDA out of memory' }, { text: 'Yes, we do.' });
    const { outcome, steps, replies, conversation } = await turn('Do you fix e-bikes?');

    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    expect(replies).toEqual(['Yes, we do.']);
    expect(steps[0]).toMatchObject({ kind: 'error', code: 'model_server_error' });
    expect((steps[0] as { message: string }).message).toContain('HTTP 500');
    expect(stub.chatRequests()).toHaveLength(2);
    expect(conversation.lastFailure).toBeNull();
  });

  it('gives up on a model that does not answer in time, and retries', async () => {
    stub.script({ hang: true }, { text: 'Hello!' });
    const { outcome, steps, replies } = await turn('Hi there', 300);

    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    expect(replies).toEqual(['Hello!']);
    expect(steps[0]).toMatchObject({
      kind: 'error',
      code: 'model_timeout',
      message: 'The model did not answer within 300 ms.',
    });
  });

  it('hands over honestly when the model times out twice', async () => {
    stub.script({ hang: true }, { hang: true });
    const { outcome, replies, conversation } = await turn('Anyone there?', 200);

    expect(outcome).toEqual({ kind: 'replied', mode: 'failure', handedOff: true });
    expect(replies[0]).toContain("Sorry, I can't answer properly right now.");
    expect(conversation).toMatchObject({
      state: 'waiting_for_person',
      lastFailure: { code: 'model_timeout' },
    });
  });

  it.each([
    ['cut-off JSON', '{"id": "chatcmpl-1", "choices": ['],
    ['JSON of the wrong shape', '{"unexpected": true}'],
  ])('treats a 200 with %s as invalid model output, and retries', async (_what, rawBody) => {
    stub.script({ rawBody }, { text: 'Sorry, go on?' });
    const { steps, replies } = await turn('Hello');

    expect(replies).toEqual(['Sorry, go on?']);
    expect(steps[0]).toMatchObject({ kind: 'error', code: 'model_output_invalid' });
    expect((steps[0] as { message: string }).message).not.toContain('HTTP 200');
  });

  it('feeds invalid tool arguments back to the model, which corrects them', async () => {
    stub.script(
      { toolCalls: [{ name: 'search_knowledge', arguments: '{"query": "deliv' }] },
      { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'delivery cost' } }] },
      { text: 'Delivery is £4.95.' },
    );
    const { outcome, steps, replies } = await turn('Delivery?');

    expect(outcome).toEqual({ kind: 'replied', mode: 'model', handedOff: false });
    expect(replies).toEqual(['Delivery is £4.95.']);
    const toolSteps = steps.filter((step) => step.kind === 'tool');
    expect(toolSteps[0]!.error).toContain('Invalid input for tool search_knowledge');
    expect(JSON.stringify(toolSteps[1]!.output)).toContain(DELIVERY_ANSWER);
    // The model was told what was wrong.
    const retold = stub.chatRequests()[1]!.messages.find((message) => message.role === 'tool');
    expect(retold!.content).toContain('Invalid input for tool search_knowledge');
  });

  it('records an unreachable model server, and hands over', async () => {
    const gone = await startOpenAIStubServer();
    await gone.close();
    const model = createOpenAICompatibleModel({
      baseUrl: gone.baseUrl,
      name: 'stub-model',
      timeoutMs: 5_000,
    });
    const { conversation } = await harness.customer().write('Hello?');
    const outcome = await harness.runTurn(harness.turnDependencies(model), conversation.id);

    expect(outcome).toEqual({ kind: 'replied', mode: 'failure', handedOff: true });
    expect(await harness.conversation(conversation.id)).toMatchObject({
      state: 'waiting_for_person',
      lastFailure: { code: 'model_unreachable' },
    });
  });

  it('sends the API key', async () => {
    const keyed = await startOpenAIStubServer({ apiKey: 'sk-test-123' });
    try {
      keyed.script({ text: 'Keyed hello.' });
      const model = createOpenAICompatibleModel({
        baseUrl: keyed.baseUrl,
        name: 'stub-model',
        apiKey: 'sk-test-123',
        timeoutMs: 5_000,
      });
      const { conversation } = await harness.customer().write('Hello');
      await harness.runTurn(harness.turnDependencies(model), conversation.id);
      expect(byAgent(await harness.messages(conversation.id)).map((m) => m.text)).toEqual([
        'Keyed hello.',
      ]);
      expect(keyed.requests[0]!.authorization).toBe('Bearer sk-test-123');
      await expect(listServedModels({ baseUrl: keyed.baseUrl, apiKey: 'wrong' })).rejects.toThrow(
        '401',
      );
    } finally {
      await keyed.close();
    }
  });
});

describe('a whole Parley with an OpenAI-compatible model', () => {
  it('answers a web chat visitor through the model server', async () => {
    const stub = await startOpenAIStubServer();
    const parley = await startTestParley({
      model: createOpenAICompatibleModel({
        baseUrl: stub.baseUrl,
        name: 'stub-model',
        timeoutMs: 5_000,
      }),
    });
    try {
      stub.script(
        { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'trade-in old bike' } }] },
        { text: 'Yes: bring it in and we value it while you wait.' },
      );
      const visitor = await openWidgetVisitor(parley);
      await visitor.send('Can I trade in my old bike?');
      const [reply] = await visitor.waitForAgentMessages(1);
      expect(reply!.text).toBe('Yes: bring it in and we value it while you wait.');
      const toolMessage = stub.chatRequests()[1]!.messages.find((m) => m.role === 'tool');
      expect(toolMessage!.content).toContain('we will value it while you wait');
      await waitFor('the reply to be sent', async () => {
        const stored = await parley.store.messages.getById(parley.business.id, reply!.id);
        return stored?.status === 'sent';
      });
    } finally {
      await parley.stop();
      await stub.close();
    }
  });
});
