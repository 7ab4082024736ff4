import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { contactEntry, inbound, whatsappWebhook } from '../channels/fixtures/whatsapp-webhooks.js';
import { eventually } from '../support/eventually.js';
import { META, startMetaParley, type MetaParley } from '../channels/support/meta-parley.js';
import { scriptedModel } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';

// Monday 30 November 2026, 08:00 in London; the demo shop's minimum notice is 2 hours.
const NOW = '2026-11-30T08:00:00Z';
const PUBLIC_URL = 'https://chat.northside.example';

describe.each(backends)('a WhatsApp booking confirmation (%s)', (backend) => {
  let meta: MetaParley;
  const clock = new ManualClock(NOW);
  const customer = { waId: '447911123499', userId: 'US.447911123499', name: 'Ama' };
  const at = { from: customer.waId, from_user_id: customer.userId };
  const timestamp = () => String(Math.floor(clock.now().getTime() / 1000));

  beforeAll(async () => {
    const model = scriptedModel([
      {
        toolCalls: [
          {
            toolName: 'book_appointment',
            input: { service: 'Basic tune-up', start: '2026-12-01T09:00:00.000Z' },
          },
        ],
      },
      { text: 'Please confirm the booking below.' },
    ]);
    meta = await startMetaParley({
      backend,
      model: model.binding,
      clock,
      env: { PARLEY_PUBLIC_URL: PUBLIC_URL },
    });
  });
  afterAll(() => meta?.stop());

  it('sends the calendar invite as a document message after the confirmation text', async () => {
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        contacts: [contactEntry(customer)],
        messages: [
          inbound(
            'text',
            { text: { body: 'Tune-up tomorrow at 9?' } },
            { ...at, timestamp: timestamp() },
          ),
        ],
      }),
    );
    const offer = await eventually('the booking summary with its buttons', async () => {
      const messages = await meta.messagesOf('whatsapp', customer.waId);
      const choices = messages
        .filter((message) => message.author === 'agent')
        .flatMap((message) => message.parts)
        .find((part) => part.type === 'choices');
      return choices?.type === 'choices' ? choices.choices[0] : undefined;
    });
    const sentBefore = meta.graph.sends().length;
    await meta.post(
      'whatsapp',
      whatsappWebhook({
        messages: [
          inbound(
            'interactive',
            {
              interactive: {
                type: 'button_reply',
                button_reply: { id: offer.id, title: offer.title },
              },
            },
            { ...at, timestamp: timestamp() },
          ),
        ],
      }),
    );
    const document = await meta.graph.waitFor(
      (request) => request.body?.type === 'document',
      30_000,
    );
    expect(document.path).toBe(`${META.phoneNumberId}/messages`);
    const body = document.body as {
      to: string;
      document: { link: string; filename: string; caption: string };
    };
    expect(body.to).toBe(`+${customer.waId}`);
    expect(body.document).toMatchObject({
      filename: 'appointment.ics',
      caption: 'Add it to your calendar',
    });
    expect(body.document.link.startsWith(`${PUBLIC_URL}/api/invites/`)).toBe(true);
    // The confirmation's text went first, then the document.
    const after = meta.graph.sends().slice(sentBefore);
    const types = after.map((request) => request.body?.type);
    expect(types.indexOf('text')).toBeLessThan(types.indexOf('document'));
    expect(JSON.stringify(after[types.indexOf('text')]!.body)).toContain("You're booked");

    // The link serves the invite Parley stored for the appointment.
    const response = await fetch(`${meta.parley.baseUrl}${new URL(body.document.link).pathname}`);
    expect(response.status).toBe(200);
    const ics = await response.text();
    expect(ics).toContain('METHOD:REQUEST');
    const { store, business } = meta.parley;
    const contact = await store.contacts.findByIdentity(business.id, {
      channel: 'whatsapp',
      externalId: customer.waId,
    });
    const [appointment] = await store.appointments.listForContact(
      business.id,
      contact!.id,
      new Date(NOW),
    );
    expect(ics).toContain(`UID:${appointment!.uid}`);
  });
});
