import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import {
  customerEvent,
  messagingWebhook,
  mid,
  PSID,
} from '../channels/fixtures/messaging-webhooks.js';
import { META, startMetaParley, type MetaParley } from '../channels/support/meta-parley.js';
import { eventually } from '../support/eventually.js';
import { scriptedModel } from '../support/scripted-model.js';
import { backends } from '../support/test-database.js';

// Monday 30 November 2026, 08:00 in London; the demo shop's minimum notice is 2 hours.
const NOW = '2026-11-30T08:00:00Z';
const PUBLIC_URL = 'https://chat.northside.example';

describe.each(backends)('a Messenger booking confirmation (%s)', (backend) => {
  let meta: MetaParley;
  const clock = new ManualClock(NOW);

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

  const customerWrites = (message: Record<string, unknown>) =>
    meta.post(
      'messenger',
      messagingWebhook('messenger', [
        customerEvent('messenger', PSID, { timestamp: clock.now().getTime(), message }),
      ]),
    );

  it('sends the calendar invite as a file attachment after the confirmation text', async () => {
    await customerWrites({ mid: mid(), text: 'Tune-up tomorrow at 9?' });
    const offer = await eventually('the booking summary with its buttons', async () => {
      const messages = await meta.messagesOf('messenger', PSID);
      const choices = messages
        .filter((message) => message.author === 'agent')
        .flatMap((message) => message.parts)
        .find((part) => part.type === 'choices');
      return choices?.type === 'choices' ? choices.choices[0] : undefined;
    });
    const sentBefore = meta.graph.sends().length;
    await customerWrites({ mid: mid(), text: offer.title, quick_reply: { payload: offer.id } });

    const sent = await meta.graph.waitFor(
      (request) =>
        (request.body?.message as { attachment?: unknown } | undefined)?.attachment !== undefined,
      30_000,
    );
    expect(sent.path).toBe(`${META.pageId}/messages`);
    const body = sent.body as {
      recipient: { id: string };
      message: { attachment: { type: string; payload: { url: string } } };
    };
    expect(body.recipient.id).toBe(PSID);
    expect(body.message.attachment.type).toBe('file');
    const url = body.message.attachment.payload.url;
    expect(url.startsWith(`${PUBLIC_URL}/api/invites/`)).toBe(true);
    expect(url.endsWith('.ics')).toBe(true);

    // The confirmation's text, then the caption, then the file.
    const texts = meta.graph
      .sends()
      .slice(sentBefore)
      .map((request) => {
        const message = request.body?.message as { text?: string } | undefined;
        return message?.text ?? (message ? '[file]' : null);
      })
      .filter((text) => text !== null);
    const booked = texts.findIndex((text) => text.includes("You're booked"));
    expect(booked).toBeGreaterThanOrEqual(0);
    expect(texts.slice(booked + 1, booked + 3)).toEqual(['Add it to your calendar:', '[file]']);

    // The URL serves the invite Parley stored for the appointment.
    const response = await fetch(`${meta.parley.baseUrl}${new URL(url).pathname}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('METHOD:REQUEST');
  });
});
