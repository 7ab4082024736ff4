import { describe, expect, it } from 'vitest';
import { parseMessagingWebhook } from '../../src/channels/meta/messaging-webhook-parser.js';
import type { ChannelEvent } from '../../src/core/channel-event.js';
import { PSID, messagingWebhook } from './fixtures/messaging-webhooks.js';
import { META } from './support/meta-parley.js';

const receivedAt = new Date('2026-03-02T10:00:00Z');

function parse(
  channel: 'messenger' | 'instagram',
  events: unknown[],
  standby = false,
): ChannelEvent[] {
  const payload = messagingWebhook(channel, events, { standby });
  const result = parseMessagingWebhook(channel, JSON.stringify(payload), receivedAt);
  if (!result.ok) throw new Error(result.error);
  return result.events;
}

const from = (extra: Record<string, unknown>) => ({
  sender: { id: PSID },
  recipient: { id: META.pageId },
  timestamp: 1772445600123,
  ...extra,
});

describe('Messenger and Instagram webhook parser', () => {
  it('reads text, quick replies, reply-to and attachments (Messenger stickers come as images)', () => {
    const [text, quickReply, withAttachments] = parse('messenger', [
      from({ message: { mid: 'm_1', text: 'Hi there' } }),
      from({
        message: { mid: 'm_2', text: 'Talk to a person', quick_reply: { payload: 'menu:person' } },
      }),
      from({
        message: {
          mid: 'm_3',
          reply_to: { mid: 'm_0' },
          attachments: [
            { type: 'image', payload: { url: 'https://cdn.example/photo.jpg' } },
            {
              type: 'image',
              payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 },
            },
            { type: 'audio', payload: { url: 'https://cdn.example/clip.mp4' } },
            {
              type: 'fallback',
              payload: { url: 'https://shop.example/item' },
              title: 'Shared link',
            },
            { type: 'location', payload: { coordinates: { lat: 53.5, long: -2.2 } } },
            { type: 'template', payload: { template_type: 'generic' } },
          ],
        },
      }),
    ]);
    expect(text).toMatchObject({
      kind: 'message',
      channel: 'messenger',
      accountId: META.pageId,
      senderId: PSID,
      channelMessageId: 'm_1',
      sentAt: new Date(1772445600123),
      parts: [{ type: 'text', text: 'Hi there' }],
      requestsTurn: true,
    });
    expect(quickReply).toMatchObject({
      parts: [{ type: 'choice-reply', choiceId: 'menu:person', title: 'Talk to a person' }],
    });
    expect(withAttachments).toMatchObject({
      parts: [
        { type: 'reply-to', channelMessageId: 'm_0' },
        { type: 'media', kind: 'image', providerUrl: 'https://cdn.example/photo.jpg' },
        { type: 'media', kind: 'sticker' },
        { type: 'media', kind: 'audio' },
        { type: 'text', text: 'Shared link: https://shop.example/item' },
        { type: 'location', latitude: 53.5, longitude: -2.2 },
        { type: 'unsupported', providerType: 'template attachment' },
      ],
    });
  });

  it('reads postbacks (with their referral), reactions and their removal, and standalone referrals', () => {
    const [postback, reaction, unreaction, referral] = parse('messenger', [
      from({
        postback: {
          mid: 'm_pb',
          title: 'Get Started',
          payload: 'GET_STARTED',
          referral: { ref: 'spring-sale', source: 'SHORTLINK', type: 'OPEN_THREAD' },
        },
      }),
      from({ reaction: { mid: 'm_reply', action: 'react', emoji: '❤️', reaction: 'love' } }),
      from({ timestamp: 1772445700000, reaction: { mid: 'm_reply', action: 'unreact' } }),
      from({ referral: { ref: 'ad-42', source: 'ADS', type: 'OPEN_THREAD', ad_id: '6045' } }),
    ]);
    expect(postback).toMatchObject({
      channelMessageId: 'm_pb',
      parts: [
        { type: 'referral', source: 'shortlink', ref: 'spring-sale' },
        { type: 'choice-reply', choiceId: 'GET_STARTED', title: 'Get Started' },
      ],
      requestsTurn: true,
    });
    expect(reaction).toMatchObject({
      parts: [{ type: 'reaction', targetChannelMessageId: 'm_reply', emoji: '❤️' }],
      requestsTurn: false,
    });
    expect(unreaction).toMatchObject({ parts: [{ type: 'reaction', emoji: null }] });
    const ids = [reaction, unreaction].map((event) =>
      event?.kind === 'message' ? event.channelMessageId : null,
    );
    expect(new Set(ids).size).toBe(2);
    expect(referral).toMatchObject({
      parts: [{ type: 'referral', source: 'ad', ref: 'ad-42', sourceId: '6045' }],
      requestsTurn: false,
    });
  });

  it('reads deliveries and reads as watermarks for the customer who reports them', () => {
    const [delivery, read] = parse('messenger', [
      from({ delivery: { mids: ['m_a', 'm_b'], watermark: 1772445600000 } }),
      from({ read: { watermark: 1772445700000 } }),
    ]);
    expect(delivery).toEqual({
      kind: 'watermark',
      channel: 'messenger',
      accountId: META.pageId,
      recipientId: PSID,
      status: 'delivered',
      watermark: new Date(1772445600000),
      channelMessageIds: ['m_a', 'm_b'],
    });
    expect(read).toMatchObject({ status: 'read', watermark: new Date(1772445700000) });
    const [seen] = parse('instagram', [from({ read: { mid: 'ig_m_1' } })]);
    expect(seen).toMatchObject({ status: 'read', channelMessageIds: ['ig_m_1'] });
  });

  it("reads echoes as the business own messages, recognising Parley's by their metadata", () => {
    const [own, foreign] = parse('messenger', [
      {
        sender: { id: META.pageId },
        recipient: { id: PSID },
        timestamp: 1772445600000,
        message: {
          mid: 'm_e1',
          is_echo: true,
          app_id: 1517776481860111,
          metadata: 'parley:00000000-0000-4000-8000-000000000001',
          text: 'Our reply',
        },
      },
      {
        sender: { id: META.pageId },
        recipient: { id: PSID },
        timestamp: 1772445600000,
        message: {
          mid: 'm_e2',
          is_echo: true,
          app_id: 263902037430900,
          text: 'Written in the Page inbox',
        },
      },
    ]);
    expect(own).toMatchObject({
      kind: 'echo',
      recipientId: PSID,
      parleyMessageId: '00000000-0000-4000-8000-000000000001',
    });
    expect(foreign).toMatchObject({
      kind: 'echo',
      parleyMessageId: null,
      parts: [{ type: 'text', text: 'Written in the Page inbox' }],
    });
  });

  it('reads Instagram story mentions, shares, deletions and unsupported messages', () => {
    const events = parse('instagram', [
      from({
        message: {
          mid: 'ig_1',
          attachments: [{ type: 'story_mention', payload: { url: 'https://cdn.example/story' } }],
        },
      }),
      from({
        message: {
          mid: 'ig_2',
          attachments: [
            { type: 'ig_reel', payload: { url: 'https://cdn.example/reel', title: 'Trail day' } },
          ],
        },
      }),
      from({ message: { mid: 'ig_3', is_deleted: true } }),
      from({ message: { mid: 'ig_4', is_unsupported: true } }),
      from({
        message: {
          mid: 'ig_5',
          text: 'Is it this one?',
          reply_to: { story: { id: 'story-9', url: 'https://cdn.example/s9' } },
        },
      }),
    ]);
    expect(
      events.map((event) => (event.kind === 'message' ? event.parts.map((part) => part.type) : [])),
    ).toEqual([['notice', 'media'], ['media'], ['revoked'], ['unsupported'], ['reply-to', 'text']]);
    expect(events[4]).toMatchObject({
      parts: [{ channelMessageId: 'story:story-9' }, { text: 'Is it this one?' }],
    });
  });

  it('records standby traffic without asking for a turn, and notes handovers as not acted on', () => {
    const [standby] = parse('messenger', [from({ message: { mid: 'm_s', text: 'hello?' } })], true);
    expect(standby).toMatchObject({ kind: 'message', standby: true, requestsTurn: false });
    const [handover] = parse('messenger', [
      from({
        pass_thread_control: { previous_owner_app_id: 1, new_owner_app_id: 2, metadata: '' },
      }),
    ]);
    expect(handover?.kind).toBe('ignored');
    expect(handover?.kind === 'ignored' && handover.reason).toMatch(/pass_thread_control/);
  });

  it('refuses a body of the other platform', () => {
    const result = parseMessagingWebhook(
      'instagram',
      JSON.stringify(messagingWebhook('messenger', [])),
      receivedAt,
    );
    expect(result).toMatchObject({ ok: false });
  });
});
