import type { ChannelKind } from './channel.js';
import type { ProviderError, ProviderStatus } from './channel-event.js';
import type { Contact, ContactIdentity } from './contact.js';
import type { DeliveryStatus, Message } from './message.js';

// The storage port's part for provider channels (WhatsApp, Messenger, Instagram): the webhook
// inbox, delivery reports, the service window and contacts' changing ids. See `Store`.
/** A webhook POST as received, before anything was parsed: the raw body, byte for byte. */
export interface StoredWebhook {
  id: string;
  channel: ChannelKind;
  body: string;
  receivedAt: Date;
  attempts: number;
}

/**
 * The durable inbox of provider webhooks. A POST is appended here before it is acknowledged and
 * processed afterwards, so acknowledging never waits for parsing, media or the model.
 */
export interface WebhookInboxRepository {
  /** Appends the webhooks in one statement (callers batch concurrent requests). */
  append(
    entries: ReadonlyArray<{ channel: ChannelKind; body: string; receivedAt: Date }>,
  ): Promise<string[]>;
  /** Claims up to `limit` unprocessed webhooks, oldest first, leased until `leaseUntil`. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<StoredWebhook[]>;
  markProcessed(ids: readonly string[], at: Date): Promise<void>;
  reschedule(id: string, nextAttemptAt: Date, error: string): Promise<void>;
  /** Gives up on a webhook that keeps failing; it stays in the table for inspection. */
  markFailed(id: string, error: string): Promise<void>;
  pendingCount(): Promise<number>;
  /** Deletes processed webhooks received before `before` (failed ones stay); returns how many. */
  pruneProcessed(before: Date): Promise<number>;
  getById(
    id: string,
  ): Promise<(StoredWebhook & { status: string; lastError: string | null }) | null>;
}

export interface DeliveryReportInput {
  businessId: string;
  channel: ChannelKind;
  channelMessageId: string;
  status: ProviderStatus;
  at: Date;
  messageId: string | null;
  errors: readonly ProviderError[];
}

export interface DeliveryReport extends DeliveryReportInput {
  id: string;
  createdAt: Date;
}

export interface ChannelMessageRepository {
  /** The message this provider id belongs to: its own id, or one of the parts it was sent as. */
  findByChannelMessageId(
    businessId: string,
    channel: ChannelKind,
    channelMessageId: string,
  ): Promise<Message | null>;
  /**
   * Records a provider status report once per (provider id, status); false when it was seen
   * before (a redelivery).
   */
  recordReport(input: DeliveryReportInput): Promise<boolean>;
  listReports(businessId: string, messageId: string): Promise<DeliveryReport[]>;
  /**
   * Moves the message's status forward only: sent < delivered < failed < read. A late `delivered`
   * never overwrites `read`. Returns whether it changed. `channelMessageId` is set only if empty.
   */
  advanceStatus(
    businessId: string,
    messageId: string,
    status: DeliveryStatus,
    details?: { error?: string | null; channelMessageId?: string },
  ): Promise<boolean>;
  /**
   * Marks the business's outbound messages to a contact on a channel up to `until` as `status`
   * (Messenger's watermarks). Returns the messages that changed.
   */
  advanceUpTo(
    businessId: string,
    conversationIds: readonly string[],
    until: Date,
    status: 'delivered' | 'read',
  ): Promise<Array<{ id: string; conversationId: string }>>;
  /** Records that part `chunk` of an outbound message was accepted by the provider. */
  recordChunk(
    businessId: string,
    messageId: string,
    chunk: number,
    channelMessageId: string,
  ): Promise<void>;
  /** Parts already accepted, so a retry sends only the rest. */
  listChunks(
    businessId: string,
    messageId: string,
  ): Promise<Array<{ chunk: number; channelMessageId: string }>>;
}

/** The customer-service window: when the customer last wrote on a channel (provider time). */
export interface CustomerWindowRepository {
  noteCustomerMessage(
    businessId: string,
    contactId: string,
    channel: ChannelKind,
    at: Date,
  ): Promise<void>;
  lastCustomerMessageAt(
    businessId: string,
    contactId: string,
    channel: ChannelKind,
  ): Promise<Date | null>;
}

export interface ContactIdentityRepository {
  /** Adds an identity to a contact; false when it already belongs to someone (left as is). */
  attach(businessId: string, contactId: string, identity: ContactIdentity): Promise<boolean>;
  /**
   * The contact's id on the channel changed: the identity `fromId` now reads `toId`. Returns the
   * contact, or null when no contact had `fromId`.
   */
  move(
    businessId: string,
    channel: ChannelKind,
    fromId: string,
    toId: string,
  ): Promise<Contact | null>;
  /** Fills in profile fields; a null or absent value leaves the stored one. */
  updateProfile(
    businessId: string,
    contactId: string,
    profile: { displayName?: string | null; phone?: string | null },
  ): Promise<void>;
}
