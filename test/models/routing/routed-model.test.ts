import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isModelRefusal } from '../../../src/core/model-refusal.js';
import { callContextOptions } from '../../../src/core/model-call-context.js';
import { backends } from '../../support/test-database.js';
import { openGatewayWorld, type GatewayWorld } from '../support/gateway-fixture.js';
import { startStandInUpstream, type StandInUpstream } from '../support/stand-in-upstream.js';

describe.each(backends)('routed model (%s)', (backend) => {
  let world: GatewayWorld;
  let local: StandInUpstream;
  let external: StandInUpstream;

  beforeAll(async () => {
    world = await openGatewayWorld(backend);
    local = await startStandInUpstream();
    external = await startStandInUpstream();
  });
  afterAll(async () => {
    await Promise.all([local.close(), external.close(), world.close()]);
  });
  afterEach(() => {
    local.requests.length = 0;
    external.requests.length = 0;
    local.replies = [{ kind: 'text', text: 'Local answer.' }];
    external.replies = [{ kind: 'text', text: 'External answer.' }];
  });

  const catalog = () => ({
    local: { provider: 'openai-compatible', model: 'qwen2.5:7b-instruct', baseUrl: local.baseUrl },
    hosted: {
      provider: 'openai',
      model: 'gpt-4.1-mini',
      baseUrl: external.baseUrl,
      apiKey: 'sk-test',
    },
  });
  const customer = () =>
    callContextOptions({ contactId: world.contactId, conversationId: null, source: 'agent' });
  const sentText = (upstream: StandInUpstream) => JSON.stringify(upstream.requests.at(-1)?.body);

  async function ledger() {
    await Promise.resolve();
    return world.store.modelCalls.list(world.businessId, { limit: 50 });
  }

  it('redacts before an external provider, restores the reply and logs classes and counts, never values', async () => {
    const gateway = world.gateway({
      catalog: catalog(),
      tasks: { 'customer-replies': 'hosted' },
      licensing: { domicile: 'GB' },
    });
    external.replies = [{ kind: 'text', text: 'Thanks [NAME_1], your card [CARD_1] is noted.' }];
    const result = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'I am Ana Costa, card 4111 1111 1111 1111, mail ana@example.com',
      providerOptions: customer(),
    });
    expect(sentText(external)).toContain('I am [NAME_1], card [CARD_1], mail [EMAIL_1]');
    expect(sentText(external)).not.toContain('4111');
    expect(sentText(external)).not.toContain('parley'); // the call context stays inside Parley
    expect(result.text).toBe('Thanks Ana Costa, your card 4111 1111 1111 1111 is noted.');

    await gateway.close();
    const [call] = await ledger();
    expect(call).toMatchObject({
      modelId: 'hosted',
      provider: 'openai',
      location: 'external',
      outcome: 'ok',
      dataClasses: ['payment', 'personal'],
      redactions: { name: 1, card: 1, email: 1 },
      inputTokens: 100,
      outputTokens: 20,
      cachedInputTokens: 40,
      contactId: world.contactId,
      source: 'agent',
      task: 'customer-replies',
    });
    // gpt-4.1-mini from the price table: 60 × 0.40 + 40 × 0.10 + 20 × 1.60 micros.
    expect(call!.costMicros).toBe(60);
    expect(JSON.stringify(call)).not.toMatch(/4111|ana@example|Ana Costa/);
  });

  it('sends local models the real text', async () => {
    const gateway = world.gateway({ catalog: catalog(), tasks: { 'customer-replies': 'local' } });
    await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'mail ana@example.com',
      providerOptions: customer(),
    });
    expect(sentText(local)).toContain('ana@example.com');
  });

  it('classifies a pass-through to local models for the log, answered or refused by the budget', async () => {
    // Local models may receive every class and nothing is redacted: the scan runs after the
    // request is sent. Its result must still reach every record, the budget's refusal included.
    const gateway = world.gateway({
      catalog: {
        local: { ...catalog().local, price: { inputPerMillion: 1000, outputPerMillion: 1000 } },
      },
      tasks: { 'customer-replies': 'local' },
      budgets: { perContactPerDay: 0.1 },
    });
    const route = gateway.modelFor('customer-replies')!;
    expect(route.forwardsChat).toBe(true);
    // A contact of its own, so this spend does not count against the other tests' contact.
    const contact = await world.store.contacts.findOrCreateByIdentity(
      world.businessId,
      { channel: 'web', externalId: 'visitor-pass-through' },
      { displayName: null },
    );
    const context = { contactId: contact.id, conversationId: null, source: 'gateway' as const };
    const ask = (content: string) =>
      route.forward(
        { model: 'customer-replies', messages: [{ role: 'user', content }] },
        context,
        new AbortController().signal,
      );
    const answered = await ask('mail ana@example.com about my order');
    expect(answered.stream === false && JSON.parse(answered.body)).toMatchObject({
      choices: [{ message: { content: 'Local answer.' } }],
    });
    expect(sentText(local)).toContain('ana@example.com');
    const refused = await ask('card 4111 1111 1111 1111').catch((error: unknown) => error);
    expect(isModelRefusal(refused) && refused.reason).toBe('budget-exhausted');
    expect(local.requests).toHaveLength(1);
    // A bad tool-call argument is refused before anything is sent, as on every route.
    await expect(
      route.forward(
        {
          model: 'customer-replies',
          messages: [
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } },
              ],
            },
          ],
        },
        context,
        new AbortController().signal,
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(local.requests).toHaveLength(1);
    await gateway.close();
    const [last, first] = await ledger();
    expect(first).toMatchObject({ outcome: 'ok', dataClasses: ['personal'], redactions: {} });
    expect(last).toMatchObject({
      outcome: 'refused',
      errorCode: 'budget_exhausted',
      dataClasses: ['payment'],
    });
  });

  it('restores placeholders in tool arguments before the tool runs', async () => {
    const gateway = world.gateway({ catalog: catalog(), tasks: { 'customer-replies': 'hosted' } });
    external.replies = [
      {
        kind: 'tool-call',
        name: 'send_receipt',
        arguments: { to: '[EMAIL_1]', note: 'for [NAME_1]' },
      },
      { kind: 'text', text: 'Sent to [EMAIL_1].' },
    ];
    const received: unknown[] = [];
    const result = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'I am Ana Costa, send the receipt to ana@example.com',
      providerOptions: customer(),
      stopWhen: stepCountIs(3),
      tools: {
        send_receipt: tool({
          inputSchema: jsonSchema<{ to: string; note: string }>({
            type: 'object',
            properties: { to: { type: 'string' }, note: { type: 'string' } },
            required: ['to', 'note'],
          }),
          execute: (input) => {
            received.push(input);
            return Promise.resolve({ sentTo: input.to });
          },
        }),
      },
    });
    expect(received).toEqual([{ to: 'ana@example.com', note: 'for Ana Costa' }]);
    // The tool's result went back to the external model redacted, under the same placeholder.
    expect(sentText(external)).toContain('[EMAIL_1]');
    expect(sentText(external)).not.toContain('ana@example.com');
    expect(result.text).toBe('Sent to ana@example.com.');
  });

  it('restores placeholders cut across streamed deltas', async () => {
    const gateway = world.gateway({ catalog: catalog(), tasks: { 'customer-replies': 'hosted' } });
    external.replies = [{ kind: 'text', text: 'We will call [PHONE_1] about [CARD_1] today.' }];
    const stream = streamText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'call +44 7911 123456 about card 4111 1111 1111 1111',
      providerOptions: customer(),
    });
    let text = '';
    for await (const delta of stream.textStream) text += delta;
    expect(text).toBe('We will call +44 7911 123456 about 4111 1111 1111 1111 today.');
  });

  it('falls back on a 5xx and records the switch', async () => {
    const gateway = world.gateway({
      catalog: catalog(),
      tasks: { 'customer-replies': { primary: 'hosted', fallbacks: ['local'] } },
    });
    external.replies = [{ kind: 'status', status: 503 }];
    // Rows of this test are the ones at a time no earlier test used.
    world.clock.advance(3_600_000);
    const start = world.clock.now();
    const result = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'hello',
      providerOptions: customer(),
      maxRetries: 0,
    });
    expect(result.text).toBe('Local answer.');
    await gateway.close();
    const calls = (await ledger()).filter((call) => call.at >= start);
    expect(
      calls.map((call) => [call.modelId, call.outcome, call.errorCode, call.fallbackFrom]).sort(),
    ).toEqual([
      ['hosted', 'error', 'http_503', null],
      ['local', 'ok', null, 'hosted'],
    ]);
  });

  it('falls back on a timeout and on a rate limit', async () => {
    const gateway = world.gateway({
      catalog: {
        ...catalog(),
        slow: {
          provider: 'openai-compatible',
          model: 'slow',
          baseUrl: external.baseUrl,
          timeoutMs: 1_000,
        },
      },
      tasks: { 'customer-replies': { primary: 'slow', fallbacks: ['local'] } },
    });
    external.replies = [{ kind: 'hang' }];
    const first = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'hi',
      maxRetries: 0,
    });
    expect(first.text).toBe('Local answer.');
    external.replies = [{ kind: 'status', status: 429 }];
    const second = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'hi',
      maxRetries: 0,
    });
    expect(second.text).toBe('Local answer.');
  });

  it('opens the breaker after repeated failures and skips the model until it half-opens', async () => {
    const gateway = world.gateway({
      catalog: catalog(),
      tasks: { 'customer-replies': { primary: 'hosted', fallbacks: ['local'] } },
      circuitBreaker: { failureThreshold: 2, openForMs: 60_000 },
    });
    external.replies = [{ kind: 'status', status: 500 }];
    const ask = () =>
      generateText({ model: gateway.modelFor('customer-replies')!, prompt: 'hi', maxRetries: 0 });
    await ask();
    await ask();
    expect(external.requests).toHaveLength(2);
    await ask();
    expect(external.requests).toHaveLength(2); // open: straight to the fallback
    world.clock.advance(60_001);
    external.replies = [{ kind: 'text', text: 'Back.' }];
    expect((await ask()).text).toBe('Back.'); // the half-open trial succeeds and closes it
    expect(external.requests).toHaveLength(3);
  });

  it('keeps personal data on local models, and refuses when no allowed model is on the route', async () => {
    const models = {
      catalog: catalog(),
      tasks: {
        'customer-replies': { primary: 'hosted', fallbacks: ['local'] },
        summaries: 'hosted',
      },
      dataClasses: { personal: ['local'], health: ['local'] },
    };
    const gateway = world.gateway(models);
    const routed = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: 'my email is ana@example.com',
      maxRetries: 0,
    });
    expect(routed.text).toBe('Local answer.');
    expect(external.requests).toHaveLength(0);
    // A turn without personal data may use the hosted primary.
    expect(
      (
        await generateText({
          model: gateway.modelFor('customer-replies')!,
          prompt: 'opening hours?',
        })
      ).text,
    ).toBe('External answer.');
    const refused = await generateText({
      model: gateway.modelFor('summaries')!,
      prompt: 'I am pregnant, is the saddle ok?',
      maxRetries: 0,
    }).catch((error: unknown) => error);
    expect(isModelRefusal(refused) && refused.reason).toBe('no-allowed-provider');
    expect(external.requests).toHaveLength(1);
    await gateway.close();
    const [last] = await ledger();
    expect(last).toMatchObject({
      outcome: 'refused',
      errorCode: 'no_allowed_provider',
      dataClasses: ['health'],
    });
  });

  it('sends payment data only where the business allows it, and never falls back past that', async () => {
    const gateway = world.gateway({
      catalog: catalog(),
      tasks: { 'customer-replies': { primary: 'hosted', fallbacks: ['local'] } },
      dataClasses: { payment: ['local'] },
    });
    const withCard = 'pay with card 4111 1111 1111 1111 please';
    expect(
      (await generateText({ model: gateway.modelFor('customer-replies')!, prompt: withCard })).text,
    ).toBe('Local answer.');
    expect(external.requests).toHaveLength(0);
    // The local model failing does not send the card to the hosted one: the turn is refused.
    local.replies = [{ kind: 'status', status: 503 }];
    const failed = await generateText({
      model: gateway.modelFor('customer-replies')!,
      prompt: withCard,
      maxRetries: 0,
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(external.requests).toHaveLength(0);
  });

  it('stops at the daily budget of a contact and refuses with a budget error', async () => {
    const gateway = world.gateway({
      catalog: {
        hosted: { ...catalog().hosted, price: { inputPerMillion: 1000, outputPerMillion: 1000 } },
      },
      tasks: { 'customer-replies': 'hosted' },
      // One call costs 120 tokens × 1000 per million = 0.12.
      budgets: { perContactPerDay: 0.2 },
    });
    const ask = () =>
      generateText({
        model: gateway.modelFor('customer-replies')!,
        prompt: 'hi',
        providerOptions: customer(),
        maxRetries: 0,
      });
    await ask();
    await ask();
    const third = await ask().catch((error: unknown) => error);
    expect(isModelRefusal(third) && third.reason).toBe('budget-exhausted');
    expect(external.requests).toHaveLength(2);
    // Another contact (or an anonymous call) still has budget.
    await generateText({ model: gateway.modelFor('customer-replies')!, prompt: 'hi' });
    expect(external.requests).toHaveLength(3);
    // The next UTC day starts afresh.
    world.clock.advance(24 * 3600_000);
    await ask();
    expect(external.requests).toHaveLength(4);
  });

  it('embeds through the route with the same policies', async () => {
    const gateway = world.gateway({
      catalog: {
        embed: {
          provider: 'openai',
          model: 'text-embedding-3-small',
          baseUrl: external.baseUrl,
          apiKey: 'sk',
        },
      },
      tasks: { embeddings: 'embed' },
    });
    const result = await gateway.embed(['ring +44 7911 123456', 'hello'], {
      contactId: null,
      conversationId: null,
      source: 'gateway',
    });
    expect(result.embeddings).toHaveLength(2);
    expect(sentText(external)).toContain('[PHONE_1]');
    expect(result.inputTokens).toBe(8);
  });
});
