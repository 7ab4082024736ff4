import type { ChannelKind } from './channel.js';
import type { MessagePart } from './message.js';

/** A provider's delivery report for a message Parley (or the business) sent. */
export type ProviderStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface ProviderError {
  code: number;
  title: string;
  details?: string;
}

/**
 * What a webhook said, normalised: channel adapters parse provider payloads into these, the inbox
 * applies them. `accountId` is the business's own id on the channel (WhatsApp phone number id,
 * Page id, Instagram account id): the key that routes the event to a business.
 */
export type ChannelEvent =
  | {
      kind: 'message';
      channel: ChannelKind;
      accountId: string;
      /** The provider's message id (wamid, mid): the deduplication key. */
      channelMessageId: string;
      /** The id the contact is keyed on: a business-scoped user id when there is one. */
      senderId: string;
      /** Other ids of the same person on this channel (a phone-based WhatsApp id…). */
      alternateSenderIds: string[];
      profile: { displayName?: string | null; phone?: string | null };
      sentAt: Date;
      parts: MessagePart[];
      /** False for what needs no answer: reactions, deletions, notices, standby traffic. */
      requestsTurn: boolean;
      /** Received while another app holds the thread (conversation routing): only listen. */
      standby: boolean;
    }
  | {
      /** The business's own message, sent from elsewhere (Page inbox, phone app) or by Parley. */
      kind: 'echo';
      channel: ChannelKind;
      accountId: string;
      channelMessageId: string;
      /** The customer it went to. */
      recipientId: string;
      sentAt: Date;
      parts: MessagePart[];
      /** Set when Parley sent it (the send carried Parley's message id as metadata). */
      parleyMessageId: string | null;
      standby: boolean;
    }
  | {
      kind: 'status';
      channel: ChannelKind;
      accountId: string;
      channelMessageId: string;
      status: ProviderStatus;
      at: Date;
      recipientId: string | null;
      /** Parley's message id, echoed back by the provider (`biz_opaque_callback_data`). */
      parleyMessageId: string | null;
      errors: ProviderError[];
      pricingCategory: string | null;
    }
  | {
      /** Messenger/Instagram: everything sent to `recipientId` up to `watermark` was delivered/read. */
      kind: 'watermark';
      channel: ChannelKind;
      accountId: string;
      recipientId: string;
      status: 'delivered' | 'read';
      watermark: Date;
      channelMessageIds: string[];
    }
  | {
      /** The customer's id changed (new phone number, new business-scoped id): follow it. */
      kind: 'identity-change';
      channel: ChannelKind;
      accountId: string;
      channelMessageId: string;
      /** The id the change was sent from (user id first): orders it with the sender's messages. */
      senderId: string;
      previousId: string;
      newId: string;
      attribute: 'phone' | 'user-id';
      at: Date;
      text: string;
    }
  | {
      /** Errors the provider reported outside any message (`value.errors[]`). */
      kind: 'provider-error';
      channel: ChannelKind;
      accountId: string;
      errors: ProviderError[];
    }
  | {
      /** Understood and deliberately not acted on (other webhook fields, thread control…). */
      kind: 'ignored';
      channel: ChannelKind;
      accountId: string;
      reason: string;
    };
