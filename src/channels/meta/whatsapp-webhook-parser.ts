import type { ChannelEvent, ProviderError, ProviderStatus } from '../../core/channel-event.js';
import type { MediaKind, MessagePart, SharedContact } from '../../core/message.js';
import {
  dateFromSeconds,
  defined,
  numberAt,
  objectAt,
  objectsAt,
  parleyMessageIdFrom,
  parseJsonObject,
  textAt,
  type JsonObject,
} from './payload-reading.js';

export type ParsedWebhook = { ok: true; events: ChannelEvent[] } | { ok: false; error: string };

const STATUSES: readonly ProviderStatus[] = ['sent', 'delivered', 'read', 'played', 'failed'];
const MEDIA_TYPES: Record<string, MediaKind> = {
  image: 'image',
  video: 'video',
  document: 'document',
  sticker: 'sticker',
  audio: 'audio',
};

/**
 * A WhatsApp Cloud API webhook (`object: whatsapp_business_account`) as channel events. Every
 * entry, change, message and status is read: one POST may carry several senders and statuses.
 * Nothing a customer sent is dropped; what is not understood becomes an `unsupported` part.
 */
export function parseWhatsAppWebhook(body: string, receivedAt: Date): ParsedWebhook {
  const parsed = parseJsonObject(body);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (root.object !== 'whatsapp_business_account') {
    return { ok: false, error: `not a WhatsApp webhook (object: ${String(root.object)})` };
  }
  const events: ChannelEvent[] = [];
  for (const entry of objectsAt(root.entry)) {
    for (const change of objectsAt(entry.changes)) {
      const value = objectAt(change.value) ?? {};
      const metadata = objectAt(value.metadata) ?? {};
      const accountId = textAt(metadata.phone_number_id) ?? textAt(entry.id) ?? '';
      const field = textAt(change.field) ?? '';
      if (field !== 'messages' && field !== 'standby') {
        events.push({ kind: 'ignored', channel: 'whatsapp', accountId, reason: `field ${field}` });
        continue;
      }
      const standby = field === 'standby';
      const contacts = objectsAt(value.contacts);
      for (const message of objectsAt(value.messages)) {
        events.push(...readMessage(message, contacts, accountId, standby, receivedAt));
      }
      for (const echo of objectsAt(value.message_echoes)) {
        events.push(readEcho(echo, accountId, standby, receivedAt));
      }
      for (const status of objectsAt(value.statuses)) {
        const event = readStatus(status, accountId, receivedAt);
        if (event) events.push(event);
      }
      const errors = readErrors(value.errors);
      if (errors.length > 0) {
        events.push({ kind: 'provider-error', channel: 'whatsapp', accountId, errors });
      }
    }
  }
  return { ok: true, events };
}

function readMessage(
  message: JsonObject,
  contacts: JsonObject[],
  accountId: string,
  standby: boolean,
  receivedAt: Date,
): ChannelEvent[] {
  const channelMessageId = textAt(message.id) ?? '';
  const from = textAt(message.from);
  const fromUserId = textAt(message.from_user_id);
  // System messages carry no `contacts`; otherwise match the sender's entry by either id.
  const contact =
    contacts.find(
      (candidate) =>
        (from !== undefined && textAt(candidate.wa_id) === from) ||
        (fromUserId !== undefined && textAt(candidate.user_id) === fromUserId),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const userId = fromUserId ?? textAt(contact?.user_id);
  const waId = from ?? textAt(contact?.wa_id);
  const sentAt = dateFromSeconds(message.timestamp, receivedAt);
  const type = textAt(message.type) ?? 'unknown';

  if (type === 'system') {
    const system = objectAt(message.system) ?? {};
    const systemType = textAt(system.type);
    const text = textAt(system.body) ?? 'The customer changed their WhatsApp account.';
    if (systemType === 'user_changed_number') {
      const newWaId = textAt(system.wa_id) ?? textAt(system.new_wa_id);
      if (waId && newWaId) {
        return [
          identityChange(
            accountId,
            channelMessageId,
            userId ?? waId,
            waId,
            newWaId,
            'phone',
            sentAt,
            text,
          ),
        ];
      }
    }
    if (systemType === 'user_changed_user_id') {
      const previous = textAt(system.previous_user_id) ?? userId;
      const next = textAt(system.user_id);
      if (previous && next) {
        return [
          identityChange(
            accountId,
            channelMessageId,
            userId ?? previous,
            previous,
            next,
            'user-id',
            sentAt,
            text,
          ),
        ];
      }
    }
  }

  const senderId = userId ?? waId;
  if (!senderId) {
    return [
      {
        kind: 'ignored',
        channel: 'whatsapp',
        accountId,
        reason: `message ${channelMessageId} names no sender`,
      },
    ];
  }
  const profile = objectAt(contact?.profile) ?? {};
  const { parts, requestsTurn } = readContent(type, message);
  return [
    {
      kind: 'message',
      channel: 'whatsapp',
      accountId,
      channelMessageId,
      senderId,
      alternateSenderIds: waId && waId !== senderId ? [waId] : [],
      profile: {
        displayName: textAt(profile.name) ?? textAt(profile.username) ?? null,
        phone: waId ? `+${waId}` : null,
      },
      sentAt,
      parts: [...modifiers(message), ...parts],
      requestsTurn: requestsTurn && !standby,
      standby,
    },
  ];
}

function identityChange(
  accountId: string,
  channelMessageId: string,
  senderId: string,
  previousId: string,
  newId: string,
  attribute: 'phone' | 'user-id',
  at: Date,
  text: string,
): ChannelEvent {
  return {
    kind: 'identity-change',
    channel: 'whatsapp',
    accountId,
    channelMessageId,
    senderId,
    previousId,
    newId,
    attribute,
    at,
    text,
  };
}

function readContent(
  type: string,
  message: JsonObject,
): { parts: MessagePart[]; requestsTurn: boolean } {
  const body = objectAt(message[type]) ?? {};
  const mediaKind = MEDIA_TYPES[type];
  if (mediaKind) {
    const kind: MediaKind = mediaKind === 'audio' && body.voice === true ? 'voice' : mediaKind;
    return {
      parts: [
        {
          type: 'media',
          kind,
          mimeType: textAt(body.mime_type) ?? null,
          ...defined({
            caption: textAt(body.caption),
            filename: textAt(body.filename),
            providerMediaId: textAt(body.id),
            providerUrl: textAt(body.url),
            sha256: textAt(body.sha256),
          }),
          ...(typeof body.animated === 'boolean' ? { animated: body.animated } : {}),
        },
      ],
      requestsTurn: true,
    };
  }
  switch (type) {
    case 'text':
      return { parts: [{ type: 'text', text: textAt(body.body) ?? '' }], requestsTurn: true };
    case 'location': {
      const latitude = numberAt(body.latitude);
      const longitude = numberAt(body.longitude);
      if (latitude === undefined || longitude === undefined) break;
      return {
        parts: [
          {
            type: 'location',
            latitude,
            longitude,
            ...defined({
              name: textAt(body.name),
              address: textAt(body.address),
              url: textAt(body.url),
            }),
          },
        ],
        requestsTurn: true,
      };
    }
    case 'contacts':
      return {
        parts: [{ type: 'contacts', contacts: objectsAt(message.contacts).map(readSharedContact) }],
        requestsTurn: true,
      };
    case 'interactive':
      return readInteractive(body);
    case 'button':
      // A tap on a template's quick-reply button: the payload is what the template defined.
      return {
        parts: [
          {
            type: 'choice-reply',
            choiceId: textAt(body.payload) ?? textAt(body.text) ?? '',
            title: textAt(body.text) ?? textAt(body.payload) ?? '',
          },
        ],
        requestsTurn: true,
      };
    case 'reaction':
      return {
        parts: [
          {
            type: 'reaction',
            targetChannelMessageId: textAt(body.message_id) ?? '',
            emoji: textAt(body.emoji) || null,
          },
        ],
        requestsTurn: false,
      };
    case 'order':
      return {
        parts: [
          {
            type: 'order',
            catalogId: textAt(body.catalog_id) ?? '',
            ...defined({ text: textAt(body.text) }),
            items: objectsAt(body.product_items).map((item) => ({
              productRetailerId: textAt(item.product_retailer_id) ?? '',
              quantity: numberAt(item.quantity) ?? 1,
              itemPrice: numberAt(item.item_price) ?? 0,
              currency: textAt(item.currency) ?? '',
            })),
          },
        ],
        requestsTurn: true,
      };
    case 'request_welcome':
      return {
        parts: [
          {
            type: 'notice',
            notice: 'welcome-request',
            text: 'The customer opened the chat for the first time',
          },
        ],
        requestsTurn: true,
      };
    case 'revoke':
      return {
        parts: [
          {
            type: 'revoked',
            targetChannelMessageId: textAt(body.original_message_id) ?? '',
          },
        ],
        requestsTurn: false,
      };
    case 'system':
      return {
        parts: [
          {
            type: 'notice',
            notice: 'system',
            text:
              textAt(body.body) ?? `WhatsApp system message (${textAt(body.type) ?? 'unknown'})`,
          },
        ],
        requestsTurn: false,
      };
    case 'unsupported':
      break;
  }
  return { parts: [unsupported(type, message)], requestsTurn: true };
}

function readInteractive(body: JsonObject): { parts: MessagePart[]; requestsTurn: boolean } {
  const kind = textAt(body.type);
  const reply = objectAt(body[kind ?? '']) ?? {};
  if (kind === 'button_reply' || kind === 'list_reply') {
    return {
      parts: [
        {
          type: 'choice-reply',
          choiceId: textAt(reply.id) ?? '',
          title: textAt(reply.title) ?? textAt(reply.id) ?? '',
          ...defined({ description: textAt(reply.description) }),
        },
      ],
      requestsTurn: true,
    };
  }
  if (kind === 'nfm_reply') {
    // `response_json` is a JSON *string*; kept as text when it does not parse.
    const raw = textAt(reply.response_json) ?? '';
    let response: unknown = raw;
    try {
      response = JSON.parse(raw);
    } catch {
      // Keep the text.
    }
    return {
      parts: [
        {
          type: 'form-reply',
          name: textAt(reply.name) ?? 'flow',
          body: textAt(reply.body) ?? '',
          response,
        },
      ],
      requestsTurn: true,
    };
  }
  return {
    parts: [{ type: 'unsupported', providerType: `interactive ${kind ?? 'reply'}` }],
    requestsTurn: true,
  };
}

function unsupported(type: string, message: JsonObject): MessagePart {
  const inner = objectAt(message.unsupported) ?? {};
  const error = readErrors(message.errors)[0];
  const providerType = textAt(inner.type) ?? (type === 'unsupported' ? 'unsupported' : type);
  const detail = error
    ? `${error.code} ${error.title}${error.details ? `: ${error.details}` : ''}`
    : undefined;
  return { type: 'unsupported', providerType, ...defined({ detail }) };
}

/** `context` (a reply or a forward) and `referral` (click-to-WhatsApp ad) on any message. */
function modifiers(message: JsonObject): MessagePart[] {
  const parts: MessagePart[] = [];
  const referral = objectAt(message.referral);
  if (referral) {
    parts.push({
      type: 'referral',
      source: textAt(referral.source_type) ?? 'ad',
      ...defined({
        sourceId: textAt(referral.source_id),
        sourceUrl: textAt(referral.source_url),
        headline: textAt(referral.headline),
        body: textAt(referral.body),
        clickId: textAt(referral.ctwa_clid),
      }),
    });
  }
  const context = objectAt(message.context);
  if (context) {
    const repliedTo = textAt(context.id);
    if (repliedTo && context.forwarded !== true && context.frequently_forwarded !== true) {
      parts.push({
        type: 'reply-to',
        channelMessageId: repliedTo,
        ...defined({ from: textAt(context.from) }),
      });
    }
    if (context.forwarded === true || context.frequently_forwarded === true) {
      parts.push({ type: 'forwarded', frequently: context.frequently_forwarded === true });
    }
  }
  return parts;
}

function readSharedContact(card: JsonObject): SharedContact {
  const name = objectAt(card.name) ?? {};
  const formatted =
    textAt(name.formatted_name) ??
    [textAt(name.first_name), textAt(name.last_name)].filter(Boolean).join(' ');
  const org = objectAt(card.org);
  return {
    name: formatted || 'Unnamed contact',
    phones: objectsAt(card.phones).map((phone) => ({
      phone: textAt(phone.phone) ?? '',
      ...defined({ waId: textAt(phone.wa_id), type: textAt(phone.type) }),
    })),
    emails: objectsAt(card.emails).flatMap((email) => textAt(email.email) ?? []),
    urls: objectsAt(card.urls).flatMap((url) => textAt(url.url) ?? []),
    addresses: objectsAt(card.addresses).map((address) =>
      ['street', 'city', 'state', 'zip', 'country']
        .map((key) => textAt(address[key]))
        .filter(Boolean)
        .join(', '),
    ),
    ...defined({
      organization: org ? textAt(org.company) : undefined,
      birthday: textAt(card.birthday),
    }),
  };
}

function readStatus(status: JsonObject, accountId: string, receivedAt: Date): ChannelEvent | null {
  const value = textAt(status.status) as ProviderStatus | undefined;
  const channelMessageId = textAt(status.id);
  if (!value || !STATUSES.includes(value) || !channelMessageId) return null;
  const pricing = objectAt(status.pricing);
  return {
    kind: 'status',
    channel: 'whatsapp',
    accountId,
    channelMessageId,
    status: value,
    at: dateFromSeconds(status.timestamp, receivedAt),
    recipientId: textAt(status.recipient_user_id) ?? textAt(status.recipient_id) ?? null,
    parleyMessageId: parleyMessageIdFrom(status.biz_opaque_callback_data),
    errors: readErrors(status.errors),
    pricingCategory: textAt(pricing?.category) ?? null,
  };
}

/** A coexistence echo: the business wrote from the WhatsApp Business app on its phone. */
function readEcho(
  echo: JsonObject,
  accountId: string,
  standby: boolean,
  receivedAt: Date,
): ChannelEvent {
  const type = textAt(echo.type) ?? 'text';
  return {
    kind: 'echo',
    channel: 'whatsapp',
    accountId,
    channelMessageId: textAt(echo.id) ?? '',
    recipientId: textAt(echo.to_user_id) ?? textAt(echo.to) ?? '',
    sentAt: dateFromSeconds(echo.timestamp, receivedAt),
    parts: readContent(type, echo).parts,
    parleyMessageId: parleyMessageIdFrom(echo.biz_opaque_callback_data),
    standby,
  };
}

export function readErrors(value: unknown): ProviderError[] {
  return objectsAt(value).map((error) => {
    const data = objectAt(error.error_data);
    return {
      code: numberAt(error.code) ?? 0,
      title: textAt(error.title) ?? textAt(error.message) ?? 'Unknown error',
      ...defined({ details: textAt(data?.details) ?? textAt(error.message) }),
    };
  });
}
