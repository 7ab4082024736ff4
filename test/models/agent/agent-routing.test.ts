import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../../src/config/models-config.js';
import { systemClock } from '../../../src/core/clock.js';
import type { Message } from '../../../src/core/message.js';
import { receiveCustomerMessage } from '../../../src/inbox/receive-customer-message.js';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import { startStandInUpstream, type StandInUpstream } from '../support/stand-in-upstream.js';

async function waitFor<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('agent turns through the model gateway', () => {
  let parley: TestParley;
  let upstream: StandInUpstream;

  beforeAll(async () => {
    upstream = await startStandInUpstream();
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    config.models = toModelsSettings(
      modelsSection.parse({
        catalog: {
          hosted: {
            provider: 'openai',
            model: 'gpt-4.1-mini',
            baseUrl: upstream.baseUrl,
            apiKey: 'sk-up',
            // 120 tokens per call at 1,000 per million: 0.12 a call.
            price: { inputPerMillion: 1000, outputPerMillion: 1000 },
          },
        },
        tasks: { 'customer-replies': 'hosted' },
        dataClasses: { personal: ['local'] },
        budgets: { perContactPerDay: 0.1 },
      }),
    );
    // `model: undefined` lets the composition root build the gateway's binding.
    parley = await startTestParley({ overrides: { config, model: undefined } });
  });
  afterAll(async () => {
    await parley.stop();
    await upstream.close();
  });

  async function ask(visitor: string, text: string, id: string): Promise<Message> {
    const received = await receiveCustomerMessage(
      { store: parley.store, live: parley.live, clock: systemClock },
      {
        businessId: parley.business.id,
        channel: 'web',
        senderId: visitor,
        senderProfile: { displayName: 'Ana Costa' },
        parts: [{ type: 'text', text }],
        channelMessageId: id,
      },
    );
    return waitFor('the agent reply', async () => {
      const messages = await parley.store.messages.listForConversation(
        parley.business.id,
        received.conversation.id,
        { afterSeq: received.message.seq },
      );
      return messages.find((message) => message.author === 'agent') ?? null;
    });
  }

  it('answers with the model, passing the contact and conversation to the egress log', async () => {
    upstream.replies = [{ kind: 'text', text: 'We open at ten on Saturday.' }];
    const reply = await ask('visitor-one', 'Are you open on Saturday?', 'm-1');
    expect(reply.text).toBe('We open at ten on Saturday.');
    await parley.modelGateway.close();
    const [call] = await parley.store.modelCalls.list(parley.business.id, { limit: 1 });
    expect(call).toMatchObject({ outcome: 'ok', source: 'agent', modelId: 'hosted' });
    const conversation = await parley.store.conversations.getById(
      parley.business.id,
      reply.conversationId,
    );
    expect(call!.contactId).toBe(conversation!.contactId);
    expect(call!.conversationId).toBe(reply.conversationId);
  });

  it("stops at the contact's daily budget with menus, not a failure", async () => {
    const before = upstream.requests.length;
    const reply = await ask('visitor-one', 'And on Sunday?', 'm-2');
    expect(upstream.requests.length).toBe(before);
    expect(reply.parts.some((part) => part.type === 'choices')).toBe(true);
    expect(reply.text).not.toContain("can't answer properly");
    const conversation = await parley.store.conversations.getById(
      parley.business.id,
      reply.conversationId,
    );
    expect(conversation!.state).toBe('agent'); // no handoff: the model did not fail
  });

  it('keeps a turn with personal data away from the external model: menus instead', async () => {
    const before = upstream.requests.length;
    const reply = await ask('visitor-two', 'I am Ana Costa, email me at ana@example.com', 'm-3');
    expect(upstream.requests.length).toBe(before);
    expect(reply.parts.some((part) => part.type === 'choices')).toBe(true);
    await parley.modelGateway.close();
    const [call] = await parley.store.modelCalls.list(parley.business.id, { limit: 1 });
    expect(call).toMatchObject({
      outcome: 'refused',
      errorCode: 'no_allowed_provider',
      dataClasses: ['personal'],
    });
  });
});
