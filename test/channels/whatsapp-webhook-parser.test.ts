import { describe, expect, it } from 'vitest';
import { parseWhatsAppWebhook } from '../../src/channels/meta/whatsapp-webhook-parser.js';
import type { ChannelEvent } from '../../src/core/channel-event.js';
import { textOfParts, type MessagePart } from '../../src/core/message.js';
import {
  CUSTOMER,
  INBOUND_TYPES,
  contactEntry,
  inbound,
  statusEntry,
  wamid,
  whatsappWebhook,
} from './fixtures/whatsapp-webhooks.js';
import { META } from './support/meta-parley.js';

const receivedAt = new Date('2026-03-02T10:00:00Z');

function parse(payload: unknown): ChannelEvent[] {
  const result = parseWhatsAppWebhook(JSON.stringify(payload), receivedAt);
  if (!result.ok) throw new Error(result.error);
  return result.events;
}

function messageOf(message: Record<string, unknown>) {
  const [event] = parse(whatsappWebhook({ contacts: [contactEntry()], messages: [message] }));
  if (event?.kind !== 'message') throw new Error(`expected a message, got ${event?.kind}`);
  return event;
}

describe('WhatsApp webhook parser', () => {
  it('reads a text message: ids, profile, time and the business-scoped user id as the key', () => {
    const message = INBOUND_TYPES.text();
    const event = messageOf(message);
    expect(event).toEqual({
      kind: 'message',
      channel: 'whatsapp',
      accountId: META.phoneNumberId,
      channelMessageId: message.id,
      senderId: CUSTOMER.userId,
      alternateSenderIds: [CUSTOMER.waId],
      profile: { displayName: CUSTOMER.name, phone: `+${CUSTOMER.waId}` },
      sentAt: new Date(Number(message.timestamp) * 1000),
      parts: [{ type: 'text', text: 'Do you service e-bikes? 🚲' }],
      requestsTurn: true,
      standby: false,
    });
  });

  it.each([
    ['image', 'image', 'image/jpeg', { caption: 'This noise, from the back wheel' }],
    ['audio', 'audio', 'audio/mpeg', {}],
    ['voice', 'voice', 'audio/ogg; codecs=opus', {}],
    ['video', 'video', 'video/mp4', { caption: 'Gears slipping' }],
    [
      'document',
      'document',
      'application/pdf',
      { caption: 'My receipt', filename: 'receipt-2026-03.pdf' },
    ],
    ['sticker', 'sticker', 'image/webp', { animated: true }],
  ] as const)(
    'reads %s media with its media id, type and caption',
    (fixture, kind, mimeType, extra) => {
      const message = INBOUND_TYPES[fixture]();
      const event = messageOf(message);
      expect(event.parts).toEqual([
        expect.objectContaining({
          type: 'media',
          kind,
          mimeType,
          providerMediaId: `media-${fixture}-1`,
          ...extra,
        }),
      ]);
      expect(event.requestsTurn).toBe(true);
    },
  );

  it('reads location, shared contacts, orders and Flow replies into structured parts', () => {
    expect(messageOf(INBOUND_TYPES.location()).parts).toEqual([
      {
        type: 'location',
        latitude: 53.5105,
        longitude: -2.2381,
        name: 'Northside Cycles',
        address: '12 Cheetham Hill Rd, Manchester',
        url: 'https://northside-cycles.example',
      },
    ]);
    expect(messageOf(INBOUND_TYPES.contacts()).parts).toEqual([
      {
        type: 'contacts',
        contacts: [
          {
            name: 'Grace Hopper',
            phones: [{ phone: '+44 7700 900456', waId: '447700900456', type: 'CELL' }],
            emails: ['grace@example.com'],
            organization: 'Navy',
            urls: ['https://example.com/grace'],
            addresses: ['1 Harbour St, Salford, M5 3AA, UK'],
            birthday: '1906-12-09',
          },
        ],
      },
    ]);
    expect(messageOf(INBOUND_TYPES.order()).parts).toEqual([
      {
        type: 'order',
        catalogId: '881234567890',
        text: 'For Saturday please',
        items: [
          { productRetailerId: 'HR105-54', quantity: 1, itemPrice: 1299, currency: 'GBP' },
          { productRetailerId: 'LOCK-D', quantity: 2, itemPrice: 34.5, currency: 'GBP' },
        ],
      },
    ]);
    expect(messageOf(INBOUND_TYPES.flowReply()).parts).toEqual([
      {
        type: 'form-reply',
        name: 'flow',
        body: 'Sent',
        response: { flow_token: 'booking-42', date: '2026-03-10', service: 'tune-up' },
      },
    ]);
  });

  it('reads button, list and template-button taps as choice replies', () => {
    expect(messageOf(INBOUND_TYPES.buttonReply()).parts).toEqual([
      { type: 'choice-reply', choiceId: 'menu:person', title: 'Talk to a person' },
    ]);
    expect(messageOf(INBOUND_TYPES.listReply()).parts).toEqual([
      {
        type: 'choice-reply',
        choiceId: 'service:basic-tune-up',
        title: 'Basic tune-up',
        description: '60 minutes',
      },
    ]);
    expect(messageOf(INBOUND_TYPES.templateButton()).parts).toEqual([
      { type: 'choice-reply', choiceId: 'reschedule', title: 'Change the time' },
    ]);
  });

  it('keeps reactions, their removal and deletions, without asking the agent for a turn', () => {
    const target = wamid();
    const reaction = messageOf(INBOUND_TYPES.reaction(target));
    expect(reaction.parts).toEqual([
      { type: 'reaction', targetChannelMessageId: target, emoji: '👍' },
    ]);
    expect(reaction.requestsTurn).toBe(false);
    const removed = messageOf(INBOUND_TYPES.reactionRemoved(target));
    expect(removed.parts).toEqual([
      { type: 'reaction', targetChannelMessageId: target, emoji: null },
    ]);
    const revoke = messageOf(INBOUND_TYPES.revoke(target));
    expect(revoke.parts).toEqual([{ type: 'revoked', targetChannelMessageId: target }]);
    expect(revoke.requestsTurn).toBe(false);
  });

  it('keeps unsupported types with their error, and a first open as a welcome request', () => {
    const unsupported = messageOf(INBOUND_TYPES.unsupported());
    expect(unsupported.parts).toEqual([
      {
        type: 'unsupported',
        providerType: 'poll',
        detail: '131051 Message type unknown: Message type is currently not supported.',
      },
    ]);
    expect(textOfParts(unsupported.parts)).toMatch(/poll message, which Parley cannot show/);
    const welcome = messageOf(INBOUND_TYPES.requestWelcome());
    expect(welcome.parts).toEqual([
      expect.objectContaining({ type: 'notice', notice: 'welcome-request' }),
    ]);
    expect(welcome.requestsTurn).toBe(true);
  });

  it('reads replies, forwards and click-to-WhatsApp referrals as parts before the content', () => {
    const target = wamid();
    expect(messageOf(INBOUND_TYPES.replyWithContext(target)).parts).toEqual([
      { type: 'reply-to', channelMessageId: target, from: '15550783881' },
      { type: 'text', text: 'Is this one still available?' },
    ]);
    expect(messageOf(INBOUND_TYPES.forwarded()).parts).toEqual([
      { type: 'forwarded', frequently: true },
      { type: 'text', text: 'Look at this deal' },
    ]);
    const referral = messageOf(INBOUND_TYPES.referral());
    const { clickId, ...rest } = referral.parts[0] as Extract<MessagePart, { type: 'referral' }>;
    expect(rest).toEqual({
      type: 'referral',
      source: 'ad',
      sourceId: '6463461023012',
      sourceUrl: 'https://fb.me/3cr4Wqqkv',
      headline: 'Spring service: 20% off',
      body: 'Book your bike in this month.',
    });
    expect(clickId).toMatch(/^ARAk/);
    expect(textOfParts(referral.parts)).toBe(
      '[Came from an ad: Spring service: 20% off]\nHi, I saw your ad',
    );
  });

  it('reads number and user-id changes as identity changes of the contact', () => {
    const changedNumber = inbound('system', {
      system: {
        body: 'User A changed from 447700900123 to 447700900999',
        wa_id: '447700900999',
        type: 'user_changed_number',
      },
    });
    const changedUserId = inbound('system', {
      system: {
        body: 'User changed their business-scoped user id',
        type: 'user_changed_user_id',
        user_id: 'US.99999999999999999999',
        previous_user_id: CUSTOMER.userId,
      },
    });
    const events = parse(whatsappWebhook({ messages: [changedNumber, changedUserId] }));
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'identity-change',
        previousId: CUSTOMER.waId,
        newId: '447700900999',
        attribute: 'phone',
        channelMessageId: changedNumber.id,
      }),
      expect.objectContaining({
        kind: 'identity-change',
        previousId: CUSTOMER.userId,
        newId: 'US.99999999999999999999',
        attribute: 'user-id',
      }),
    ]);
  });

  it('accepts customers known only by a business-scoped user id (no phone, no wa_id)', () => {
    const message = inbound(
      'text',
      { text: { body: 'hello from a username' } },
      { from: undefined },
    );
    delete (message as { from?: string }).from;
    const [event] = parse(
      whatsappWebhook({
        contacts: [contactEntry({ userId: CUSTOMER.userId, username: 'ada.codes' })],
        messages: [message],
      }),
    );
    expect(event).toMatchObject({
      kind: 'message',
      senderId: CUSTOMER.userId,
      alternateSenderIds: [],
      profile: { displayName: 'ada.codes', phone: null },
    });
  });

  it('reads every entry, change, sender and status of a batch, and tolerates unknown fields', () => {
    const other = { waId: '447700900777', userId: 'US.22222222222222222222', name: 'Alan' };
    const payload = {
      object: 'whatsapp_business_account',
      some_future_field: { nested: true },
      entry: [
        {
          id: META.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: '15550783881',
                  phone_number_id: META.phoneNumberId,
                },
                contacts: [contactEntry(), contactEntry(other)],
                messages: [
                  INBOUND_TYPES.text(),
                  {
                    ...INBOUND_TYPES.text(),
                    from: other.waId,
                    from_user_id: other.userId,
                    brand_new: 1,
                  },
                ],
                statuses: [statusEntry('wamid.A', 'delivered'), statusEntry('wamid.B', 'read')],
              },
            },
            { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
          ],
        },
        {
          id: '999',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { display_phone_number: '15550000000', phone_number_id: '555000' },
                statuses: [statusEntry('wamid.C', 'sent')],
                errors: [{ code: 131000, title: 'Something went wrong' }],
              },
            },
          ],
        },
      ],
    };
    const events = parse(payload);
    expect(events.map((event) => [event.kind, event.accountId])).toEqual([
      ['message', META.phoneNumberId],
      ['message', META.phoneNumberId],
      ['status', META.phoneNumberId],
      ['status', META.phoneNumberId],
      ['ignored', META.wabaId],
      ['status', '555000'],
      ['provider-error', '555000'],
    ]);
    const senders = events.flatMap((event) =>
      event.kind === 'message' ? [event.profile.displayName] : [],
    );
    expect(senders).toEqual([CUSTOMER.name, 'Alan']);
  });

  it('reads statuses with callback data, pricing and errors', () => {
    const [failed, played] = parse(
      whatsappWebhook({
        statuses: [
          statusEntry('wamid.F', 'failed', {
            parleyMessageId: '00000000-0000-4000-8000-000000000042',
            errors: [
              {
                code: 131026,
                title: 'Message undeliverable',
                message: 'Message undeliverable',
                error_data: { details: 'Message Undeliverable.' },
                href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
              },
            ],
          }),
          statusEntry('wamid.P', 'played', { at: 1772445600 }),
        ],
      }),
    );
    expect(failed).toMatchObject({
      kind: 'status',
      status: 'failed',
      channelMessageId: 'wamid.F',
      parleyMessageId: '00000000-0000-4000-8000-000000000042',
      recipientId: CUSTOMER.userId,
      errors: [{ code: 131026, title: 'Message undeliverable', details: 'Message Undeliverable.' }],
    });
    expect(played).toMatchObject({ status: 'played', at: new Date(1772445600 * 1000) });
  });

  it('ignores callback data that is not a Parley message id (another app, or a forgery)', () => {
    const [foreign, malformed] = parse(
      whatsappWebhook({
        statuses: [
          { ...statusEntry('wamid.X', 'sent'), biz_opaque_callback_data: 'order-42' },
          { ...statusEntry('wamid.Y', 'sent'), biz_opaque_callback_data: "parley:1' OR 1=1" },
        ],
      }),
    );
    expect(foreign).toMatchObject({ kind: 'status', parleyMessageId: null });
    expect(malformed).toMatchObject({ kind: 'status', parleyMessageId: null });
  });

  it('marks standby traffic (another app holds the thread) as listen-only', () => {
    const [event] = parse(
      whatsappWebhook(
        { contacts: [contactEntry()], messages: [INBOUND_TYPES.text()] },
        { field: 'standby' },
      ),
    );
    expect(event).toMatchObject({ kind: 'message', standby: true, requestsTurn: false });
  });

  it('answers a result, not an exception, for bodies that are not WhatsApp webhooks', () => {
    expect(parseWhatsAppWebhook('{not json', receivedAt)).toMatchObject({ ok: false });
    const other = parseWhatsAppWebhook('{"object":"page","entry":[]}', receivedAt);
    expect(other.ok).toBe(false);
    expect(!other.ok && other.error).toMatch(/not a WhatsApp webhook/);
  });
});
