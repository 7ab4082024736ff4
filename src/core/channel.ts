import type { Message } from './message.js';
import type { Conversation } from './conversation.js';

export const CHANNEL_KINDS = ['web', 'whatsapp', 'messenger', 'instagram'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** What a channel adapter is asked to deliver; the outbox hands these out. */
export interface OutboundDelivery {
  outboxId: string;
  attempt: number;
  message: Message;
  conversation: Conversation;
}

export type DeliveryOutcome =
  | { kind: 'sent'; channelMessageId: string | null }
  /** Try again later; `retryAfterMs` overrides the default backoff when the provider says. */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** Never retry: the provider refused for good (unknown recipient, bad template…). */
  | { kind: 'failed'; error: string; code?: string }
  /**
   * Not now, and not the message's fault: Parley's own pacing (rate limits, pair rate) holds it.
   * Tried again after `retryAfterMs` without counting an attempt.
   */
  | { kind: 'deferred'; retryAfterMs: number; reason: string };

/** The port a channel implements to send Parley's replies out. */
export interface ChannelSender {
  readonly channel: ChannelKind;
  deliver(delivery: OutboundDelivery): Promise<DeliveryOutcome>;
}
