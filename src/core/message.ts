import type { ChannelKind } from './channel.js';

export type MessageDirection = 'inbound' | 'outbound';
/** Who wrote it: the customer, the agent, a person of the business, or Parley itself. */
export type MessageAuthor = 'customer' | 'agent' | 'person' | 'system';
export type DeliveryStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

/** A choice offered to the customer: rendered as buttons, quick replies or a numbered menu. */
export interface Choice {
  id: string;
  title: string;
}

export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker' | 'file';

/** A person's card shared in a message (WhatsApp `contacts`, vCard-like). */
export interface SharedContact {
  name: string;
  phones: Array<{ phone: string; waId?: string; type?: string }>;
  emails: string[];
  organization?: string;
  urls: string[];
  addresses: string[];
  birthday?: string;
}

export interface OrderItem {
  productRetailerId: string;
  quantity: number;
  /** Price per item as the provider sent it (a decimal number in `currency`). */
  itemPrice: number;
  currency: string;
}

/**
 * Channel-neutral message content. New kinds are added here, never as channel-specific blobs.
 * Nothing a customer sends is dropped: what Parley cannot read is kept as `unsupported`.
 */
export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'choices'; choices: Choice[] }
  | { type: 'choice-reply'; choiceId: string; title: string; description?: string }
  | {
      type: 'media';
      kind: MediaKind;
      mimeType: string | null;
      caption?: string;
      filename?: string;
      /** The provider's media id (WhatsApp: valid 7 days) or attachment URL (Messenger). */
      providerMediaId?: string;
      providerUrl?: string;
      sha256?: string;
      animated?: boolean;
      /** Where the downloaded bytes are in Parley's blob store; absent until downloaded. */
      blobKey?: string;
      /** Why the bytes could not be fetched, for the owner. */
      downloadError?: string;
      /** A voice note's or audio's words, when a speech-to-text endpoint is configured. */
      transcript?: string;
    }
  | {
      type: 'location';
      latitude: number;
      longitude: number;
      name?: string;
      address?: string;
      url?: string;
    }
  | { type: 'contacts'; contacts: SharedContact[] }
  /** A reaction to an earlier message; `emoji` null means the reaction was removed. */
  | { type: 'reaction'; targetChannelMessageId: string; emoji: string | null }
  | { type: 'order'; catalogId: string; text?: string; items: OrderItem[] }
  /** A structured form reply (WhatsApp Flows): `response` is the parsed JSON the form returned. */
  | { type: 'form-reply'; name: string; body: string; response: unknown }
  /** The message answers an earlier one (`context`, `reply_to`). */
  | { type: 'reply-to'; channelMessageId: string; from?: string }
  | { type: 'forwarded'; frequently: boolean }
  /** The customer came from an ad or a post (click-to-WhatsApp/Messenger, `ref` links). */
  | {
      type: 'referral';
      source: string;
      sourceId?: string;
      sourceUrl?: string;
      headline?: string;
      body?: string;
      ref?: string;
      clickId?: string;
    }
  /** The customer deleted an earlier message. */
  | { type: 'revoked'; targetChannelMessageId: string }
  /** Something that happened rather than something written: a first open, a changed number… */
  | { type: 'notice'; notice: ChannelNotice; text: string }
  /** A message type Parley cannot show (a poll, an edit…): kept so the owner sees it arrived. */
  | { type: 'unsupported'; providerType: string; detail?: string };

export type ChannelNotice =
  'welcome-request' | 'identity-changed' | 'postback' | 'story-mention' | 'system';

export interface Message {
  id: string;
  /** Installation-wide, strictly increasing: the cursor for live streams and replay. */
  seq: number;
  businessId: string;
  conversationId: string;
  channel: ChannelKind;
  direction: MessageDirection;
  author: MessageAuthor;
  authorUserId: string | null;
  parts: MessagePart[];
  text: string;
  channelMessageId: string | null;
  status: DeliveryStatus;
  statusError: string | null;
  createdAt: Date;
}

/** The plain text of a message's parts, as a model or a search index would read it. */
export function textOfParts(parts: readonly MessagePart[]): string {
  return parts
    .map(textOfPart)
    .filter((text) => text.length > 0)
    .join('\n');
}

function textOfPart(part: MessagePart): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'choice-reply':
      return part.title;
    case 'choices':
      return part.choices.map((choice) => `- ${choice.title}`).join('\n');
    case 'media':
      return describeMedia(part);
    case 'location':
      return `[Location: ${[part.name, part.address].filter(Boolean).join(', ') || 'a pin'} (${part.latitude}, ${part.longitude})]`;
    case 'contacts':
      return `[Shared contact: ${part.contacts
        .map((card) => [card.name, ...card.phones.map((phone) => phone.phone)].join(' '))
        .join('; ')}]`;
    case 'reaction':
      return part.emoji ? `[Reacted ${part.emoji}]` : '[Removed a reaction]';
    case 'order':
      return [
        `[Order from the catalog: ${part.items
          .map(
            (item) =>
              `${item.quantity} × ${item.productRetailerId} at ${item.itemPrice} ${item.currency}`,
          )
          .join('; ')}]`,
        part.text ?? '',
      ]
        .filter(Boolean)
        .join('\n');
    case 'form-reply':
      return `[Form "${part.name}" answered: ${JSON.stringify(part.response)}]`;
    case 'reply-to':
      return '';
    case 'forwarded':
      return part.frequently ? '[Forwarded many times]' : '[Forwarded]';
    case 'referral':
      return `[Came from ${part.source === 'ad' ? 'an ad' : `a ${part.source}`}${part.headline ? `: ${part.headline}` : ''}]`;
    case 'revoked':
      return '[Deleted a message]';
    case 'notice':
      return `[${part.text}]`;
    case 'unsupported':
      return `[Sent a ${part.providerType} message, which Parley cannot show]`;
  }
}

function describeMedia(part: Extract<MessagePart, { type: 'media' }>): string {
  const noun = part.kind === 'voice' ? 'voice note' : part.kind === 'file' ? 'file' : part.kind;
  const name = part.filename ? ` "${part.filename}"` : '';
  const lines = [`[Sent ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}${name}]`];
  if (part.transcript !== undefined) lines.push(`(transcript) ${part.transcript}`);
  else if (part.kind === 'voice' || part.kind === 'audio')
    lines.push('(not transcribed: Parley cannot listen to it)');
  if (part.caption) lines.push(part.caption);
  return lines.join('\n');
}
