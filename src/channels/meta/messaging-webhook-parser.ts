import type { ChannelKind } from '../../core/channel.js';
import type { ChannelEvent } from '../../core/channel-event.js';
import type { MediaKind, MessagePart } from '../../core/message.js';
import {
  dateFromMilliseconds,
  defined,
  numberAt,
  objectAt,
  objectsAt,
  parleyMessageIdFrom,
  parseJsonObject,
  textAt,
  type JsonObject,
} from './payload-reading.js';
import type { ParsedWebhook } from './whatsapp-webhook-parser.js';

const OBJECTS: Record<'messenger' | 'instagram', string> = {
  messenger: 'page',
  instagram: 'instagram',
};

const ATTACHMENT_KINDS: Record<string, MediaKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  sticker: 'sticker',
  reel: 'video',
  ig_reel: 'video',
  post: 'image',
  ig_post: 'image',
  share: 'image',
  story_mention: 'image',
};

/**
 * A Messenger (`object: page`) or Instagram (`object: instagram`) webhook as channel events. Events
 * under `standby` arrive while another app holds the thread: they are recorded, never answered.
 */
export function parseMessagingWebhook(
  channel: 'messenger' | 'instagram',
  body: string,
  receivedAt: Date,
): ParsedWebhook {
  const parsed = parseJsonObject(body);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (root.object !== OBJECTS[channel]) {
    return { ok: false, error: `not a ${channel} webhook (object: ${String(root.object)})` };
  }
  const events: ChannelEvent[] = [];
  for (const entry of objectsAt(root.entry)) {
    const accountId = textAt(entry.id) ?? '';
    for (const event of objectsAt(entry.messaging)) {
      events.push(...readEvent(channel, accountId, event, false, receivedAt));
    }
    for (const event of objectsAt(entry.standby)) {
      events.push(...readEvent(channel, accountId, event, true, receivedAt));
    }
    for (const change of objectsAt(entry.changes)) {
      events.push({
        kind: 'ignored',
        channel,
        accountId,
        reason: `field ${textAt(change.field) ?? 'unknown'}`,
      });
    }
  }
  return { ok: true, events };
}

function readEvent(
  channel: ChannelKind,
  accountId: string,
  event: JsonObject,
  standby: boolean,
  receivedAt: Date,
): ChannelEvent[] {
  const senderId = textAt(objectAt(event.sender)?.id) ?? '';
  const recipientId = textAt(objectAt(event.recipient)?.id) ?? '';
  const timestamp = numberAt(event.timestamp);
  const at = dateFromMilliseconds(timestamp, receivedAt);
  const customerMessage = (
    channelMessageId: string,
    parts: MessagePart[],
    requestsTurn: boolean,
  ): ChannelEvent => ({
    kind: 'message',
    channel,
    accountId,
    channelMessageId,
    senderId,
    alternateSenderIds: [],
    profile: {},
    sentAt: at,
    parts,
    requestsTurn: requestsTurn && !standby,
    standby,
  });

  const message = objectAt(event.message);
  if (message) {
    const mid = textAt(message.mid) ?? `${senderId}:${timestamp ?? receivedAt.getTime()}`;
    if (message.is_echo === true) {
      return [
        {
          kind: 'echo',
          channel,
          accountId,
          channelMessageId: mid,
          // On an echo the business is the sender and the customer the recipient.
          recipientId,
          sentAt: at,
          parts: readMessageParts(message),
          parleyMessageId: parleyMessageIdFrom(message.metadata),
          standby,
        },
      ];
    }
    if (message.is_deleted === true) {
      return [
        customerMessage(
          `deleted:${mid}`,
          [{ type: 'revoked', targetChannelMessageId: mid }],
          false,
        ),
      ];
    }
    return [customerMessage(mid, readMessageParts(message), true)];
  }

  const postback = objectAt(event.postback);
  if (postback) {
    const payload = textAt(postback.payload) ?? '';
    const title = textAt(postback.title) ?? payload;
    const parts: MessagePart[] = [
      ...referralParts(objectAt(postback.referral)),
      { type: 'choice-reply', choiceId: payload, title },
    ];
    const id = textAt(postback.mid) ?? `postback:${senderId}:${timestamp ?? receivedAt.getTime()}`;
    return [customerMessage(id, parts, true)];
  }

  const reaction = objectAt(event.reaction);
  if (reaction) {
    const target = textAt(reaction.mid) ?? '';
    const removed = textAt(reaction.action) === 'unreact';
    return [
      customerMessage(
        `reaction:${target}:${senderId}:${timestamp ?? receivedAt.getTime()}`,
        [
          {
            type: 'reaction',
            targetChannelMessageId: target,
            emoji: removed ? null : (textAt(reaction.emoji) ?? textAt(reaction.reaction) ?? null),
          },
        ],
        false,
      ),
    ];
  }

  const delivery = objectAt(event.delivery);
  const read = objectAt(event.read);
  if (delivery || read) {
    const mark = (delivery ?? read)!;
    const mids: unknown[] = Array.isArray(mark.mids) ? mark.mids : [];
    const single = textAt(mark.mid);
    return [
      {
        kind: 'watermark',
        channel,
        accountId,
        // The customer's device reports it: the customer is the sender of this event.
        recipientId: senderId,
        status: delivery ? 'delivered' : 'read',
        watermark: dateFromMilliseconds(mark.watermark, at),
        channelMessageIds: [
          ...mids.flatMap((mid) => textAt(mid) ?? []),
          ...(single ? [single] : []),
        ],
      },
    ];
  }

  const referral = objectAt(event.referral);
  if (referral) {
    return [
      customerMessage(
        `referral:${senderId}:${timestamp ?? receivedAt.getTime()}`,
        referralParts(referral),
        false,
      ),
    ];
  }

  const handover = ['pass_thread_control', 'take_thread_control', 'request_thread_control'].find(
    (key) => event[key] !== undefined,
  );
  return [
    {
      kind: 'ignored',
      channel,
      accountId,
      reason: handover
        ? `${handover} (thread ownership is not tracked yet)`
        : `event with keys ${Object.keys(event).join(', ')}`,
    },
  ];
}

function readMessageParts(message: JsonObject): MessagePart[] {
  const parts: MessagePart[] = [...referralParts(objectAt(message.referral))];
  const replyTo = objectAt(message.reply_to);
  if (replyTo) {
    const story = objectAt(replyTo.story);
    const target = textAt(replyTo.mid) ?? (story ? `story:${textAt(story.id) ?? ''}` : undefined);
    if (target) parts.push({ type: 'reply-to', channelMessageId: target });
  }
  if (message.is_unsupported === true) {
    parts.push({ type: 'unsupported', providerType: 'unsupported message' });
  }
  for (const attachment of objectsAt(message.attachments)) {
    parts.push(...readAttachment(attachment));
  }
  const text = textAt(message.text);
  const quickReply = objectAt(message.quick_reply);
  if (quickReply) {
    const payload = textAt(quickReply.payload) ?? '';
    parts.push({ type: 'choice-reply', choiceId: payload, title: text ?? payload });
  } else if (text !== undefined && text !== '') {
    parts.push({ type: 'text', text });
  }
  if (parts.length === 0) parts.push({ type: 'unsupported', providerType: 'empty message' });
  return parts;
}

function readAttachment(attachment: JsonObject): MessagePart[] {
  const type = textAt(attachment.type) ?? 'unknown';
  const payload = objectAt(attachment.payload) ?? {};
  const url = textAt(payload.url);
  if (type === 'location') {
    const coordinates = objectAt(payload.coordinates) ?? {};
    const latitude = numberAt(coordinates.lat);
    const longitude = numberAt(coordinates.long);
    if (latitude !== undefined && longitude !== undefined) {
      return [
        { type: 'location', latitude, longitude, ...defined({ name: textAt(attachment.title) }) },
      ];
    }
  }
  if (type === 'fallback') {
    const title = textAt(attachment.title) ?? textAt(payload.title) ?? 'A link';
    return [{ type: 'text', text: url ? `${title}: ${url}` : title }];
  }
  const kind = ATTACHMENT_KINDS[type];
  if (!kind) return [{ type: 'unsupported', providerType: `${type} attachment` }];
  // Messenger sends stickers as images carrying a sticker id (until the sticker type takes over).
  const sticker = payload.sticker_id !== undefined;
  const parts: MessagePart[] = [];
  if (type === 'story_mention') {
    parts.push({
      type: 'notice',
      notice: 'story-mention',
      text: 'The customer mentioned the business in their story',
    });
  }
  parts.push({
    type: 'media',
    kind: sticker ? 'sticker' : kind,
    mimeType: null,
    ...defined({ providerUrl: url, caption: textAt(payload.title) }),
  });
  return parts;
}

function referralParts(referral: JsonObject | undefined): MessagePart[] {
  if (!referral) return [];
  const adsContext = objectAt(referral.ads_context_data);
  // Messenger says ADS, SHORTLINK, CUSTOMER_CHAT_PLUGIN…; WhatsApp says ad or post.
  const source = (textAt(referral.source) ?? 'link').toLowerCase();
  return [
    {
      type: 'referral',
      source: source === 'ads' ? 'ad' : source,
      ...defined({
        ref: textAt(referral.ref),
        sourceId: textAt(referral.ad_id),
        headline: textAt(adsContext?.ad_title),
        sourceUrl: textAt(adsContext?.photo_url) ?? textAt(adsContext?.video_url),
      }),
    },
  ];
}
