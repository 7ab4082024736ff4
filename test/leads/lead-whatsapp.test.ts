import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactEntry, inbound, whatsappWebhook } from '../channels/fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import { startMetaParley, type MetaParley } from '../channels/support/meta-parley.js';
import { scriptedModel, toolResultsOf } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';

describe.each(backends)('qualifying a lead on WhatsApp (%s)', (backend) => {
  let meta: MetaParley;
  const model = scriptedModel([
    {
      toolCalls: [
        {
          toolName: 'save_lead',
          input: {
            answers: {
              enquiry: 'bike fitting',
              riding_type: 'triathlon',
              timeframe: 'within 2 weeks',
            },
          },
        },
      ],
    },
    { text: 'Great, a tri fitting. What budget do you have in mind?' },
  ]);
  const customer = { waId: '447911123488', userId: 'US.447911123488', name: 'Tomasz' };

  beforeAll(async () => {
    meta = await startMetaParley({ backend, model: model.binding });
  });
  afterAll(() => meta?.stop());

  it("saves the answers on the customer's lead, with the WhatsApp number as their phone", async () => {
    const response = await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry(customer)],
        messages: [
          inbound(
            'text',
            { text: { body: 'I need a bike fitting before my triathlon in two weeks' } },
            { from: customer.waId, from_user_id: customer.userId },
          ),
        ],
      }),
    );
    expect(response.status).toBe(200);
    const replies = await eventually('the agent to answer on WhatsApp', async () => {
      const messages = await meta.messagesOf('whatsapp', customer.waId);
      const agent = messages.filter((message) => message.author === 'agent');
      return agent.length > 0 ? agent : undefined;
    });
    expect(replies[0]!.parts).toEqual([
      { type: 'text', text: 'Great, a tri fitting. What budget do you have in mind?' },
    ]);
    // The number was known, so it is not among the questions still to ask.
    expect(toolResultsOf(model.calls[1]!)[0]!.output).toMatchObject({
      value: {
        stillToAsk: [
          { id: 'budget', prompt: 'Roughly what budget do you have in mind, in pounds?' },
          { id: 'email', prompt: 'What e-mail address can our builder reach you on?' },
        ],
      },
    });
    const [lead] = await meta.parley.store.leads.list(meta.parley.business.id, {
      text: 'triathlon',
    });
    expect(lead).toMatchObject({
      answers: {
        enquiry: 'bike fitting',
        riding_type: 'triathlon',
        timeframe: 'within 2 weeks',
        phone: '+447911123488',
      },
      // two weeks 30 + phone 10
      score: 40,
      stage: 'qualified',
      contact: { displayName: 'Tomasz', phone: '+447911123488' },
    });
  }, 60_000); // a whole Parley with the Meta channels on a loaded machine: a bound, not a speed check
});
