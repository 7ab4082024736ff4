import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import type { Contact } from '../../src/core/contact.js';
import { summarizeHandoff } from '../../src/inbox/summarize-handoff.js';
import { eventually } from '../support/eventually.js';
import { request } from '../server/support/http-client.js';
import { createOtherBusiness } from '../server/support/other-business.js';
import { DEMO_OWNER, signIn } from '../server/support/sign-in.js';
import { scriptedModel } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';
import { startTestParley, type TestParley } from '../support/test-parley.js';

interface SummaryBody {
  summary: {
    source: 'model' | 'facts';
    text: string;
    trigger: string | null;
    evidence: string | null;
    modelName: string | null;
  } | null;
}

describe.each(backends)('the takeover summary (%s)', (backend) => {
  let parley: TestParley;
  let owner: string;

  beforeAll(async () => {
    parley = await startTestParley({ backend });
    owner = await signIn(parley.baseUrl, DEMO_OWNER);
  });
  afterAll(async () => {
    await parley?.stop();
  });

  const businessId = () => parley.business.id;

  /** A conversation the handoff policy handed over, as a turn would leave it. */
  async function handedOver(
    texts: string[],
  ): Promise<{ contact: Contact; conversationId: string }> {
    const contact = await parley.store.contacts.findOrCreateByIdentity(
      businessId(),
      { channel: 'web', externalId: `visitor-${randomUUID()}` },
      {},
    );
    const conversation = await parley.store.conversations.findOrOpen(
      businessId(),
      contact.id,
      'web',
    );
    // Handed over before the messages arrive, so no agent turn is owed while the test runs.
    await parley.store.conversations.transition(businessId(), conversation.id, {
      from: ['agent'],
      to: 'waiting_for_person',
      handoffReason: 'refund: "money back"',
    });
    for (const [index, text] of texts.entries()) {
      const { message } = await parley.store.messages.insert({
        businessId: businessId(),
        conversationId: conversation.id,
        channel: 'web',
        direction: index % 2 === 0 ? 'inbound' : 'outbound',
        author: index % 2 === 0 ? 'customer' : 'agent',
        parts: [{ type: 'text', text }],
        channelMessageId: randomUUID(),
        status: index % 2 === 0 ? 'received' : 'sent',
      });
      await parley.store.conversations.noteMessage(businessId(), conversation.id, message);
    }
    await parley.store.handoffDecisions.insertMany(businessId(), conversation.id, randomUUID(), [
      {
        phase: 'before',
        trigger: 'topics',
        fired: true,
        action: 'handoff',
        evidence: 'refund: "money back"',
        deciding: true,
      },
    ]);
    return { contact, conversationId: conversation.id };
  }

  const summaryOf = (conversationId: string) =>
    request<SummaryBody>(parley.baseUrl, `/api/conversations/${conversationId}/handoff-summary`, {
      cookie: owner,
    });

  test('without a model, a customer asking for a person gets a summary of the rule, its evidence and the last messages', async () => {
    const visitor = await request<{ token: string }>(
      parley.baseUrl,
      `/api/widget/${businessId()}/visitors`,
      { method: 'POST' },
    );
    const sent = await request<{ message: { conversationId: string } }>(
      parley.baseUrl,
      `/api/widget/${businessId()}/messages`,
      {
        bearer: visitor.body.token,
        body: {
          clientMessageId: randomUUID(),
          text: 'My order 1042 never came, can I talk to a human please?',
        },
      },
    );
    const conversationId = sent.body.message.conversationId;
    const summary = await eventually(
      'the takeover summary',
      async () => (await summaryOf(conversationId)).body.summary ?? undefined,
    );
    expect(summary).toMatchObject({ source: 'facts', trigger: 'personRequest', modelName: null });
    expect(summary.text).toContain('Handed over: the customer asked for a person');
    expect(summary.text).toContain(
      'Customer: My order 1042 never came, can I talk to a human please?',
    );

    // One summary per handoff, however often the conversation changes afterwards.
    const again = await summarizeHandoff(
      { store: parley.store, clock: systemClock, summarizer: null },
      { businessId: businessId(), conversationId },
    );
    expect(again?.created).toBe(false);
  });

  test('with a summaries model, the model writes it from the transcript and the reason', async () => {
    const { conversationId } = await handedOver([
      'I bought the Trail 500 last week and the brakes squeak.',
      'Sorry to hear that! Have you tried adjusting the pads?',
      'Yes, twice. I just want my money back.',
    ]);
    const model = scriptedModel(
      [
        {
          text: 'Customer wants a refund for a Trail 500 with squeaking brakes; pads adjusted twice.',
        },
      ],
      { name: 'summaries-model' },
    );
    const result = await summarizeHandoff(
      { store: parley.store, clock: systemClock, summarizer: model.binding },
      { businessId: businessId(), conversationId },
    );
    expect(result).toMatchObject({
      created: true,
      summary: {
        source: 'model',
        modelName: 'summaries-model',
        trigger: 'topics',
        evidence: 'refund: "money back"',
        text: 'Customer wants a refund for a Trail 500 with squeaking brakes; pads adjusted twice.',
      },
    });
    const prompt = JSON.stringify(model.calls[0]?.prompt);
    expect(prompt).toContain('a sensitive topic: refund: \\"money back\\"');
    expect(prompt).toContain('Customer: Yes, twice. I just want my money back.');
    expect((await summaryOf(conversationId)).body.summary?.source).toBe('model');
  });

  test('a failing summaries model falls back to the facts', async () => {
    const { conversationId } = await handedOver(['Where is my refund? I want my money back.']);
    const failures: unknown[] = [];
    const model = scriptedModel([{ fail: new Error('upstream 503') }]);
    const result = await summarizeHandoff(
      {
        store: parley.store,
        clock: systemClock,
        summarizer: model.binding,
        onModelError: (error) => failures.push(error),
      },
      { businessId: businessId(), conversationId },
    );
    expect(failures).toHaveLength(1);
    expect(result?.summary).toMatchObject({ source: 'facts', modelName: null });
    expect(result?.summary.text).toBe(
      'Handed over: a sensitive topic: refund: "money back".\nLast messages:\nCustomer: Where is my refund? I want my money back.',
    );
  });

  test("another business's conversation has no summary to read", async () => {
    const other = await createOtherBusiness(parley.store);
    const response = await summaryOf(other.conversation.id);
    expect(response.status).toBe(404);
  });
});
