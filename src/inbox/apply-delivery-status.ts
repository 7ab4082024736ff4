import type { ChannelEvent, ProviderError } from '../core/channel-event.js';
import type { DeliveryStatus } from '../core/message.js';
import type { InboxDependencies } from './inbox-dependencies.js';

type StatusEvent = Extract<ChannelEvent, { kind: 'status' }>;
type WatermarkEvent = Extract<ChannelEvent, { kind: 'watermark' }>;

/**
 * A provider's delivery report. Recorded once per (provider id, status), so a redelivery does
 * nothing; the message's status only moves forward (a late `delivered` never undoes `read`); a
 * `failed` report puts its error code and text on the message, where the console shows it.
 */
export async function applyDeliveryStatus(
  deps: InboxDependencies,
  businessId: string,
  event: StatusEvent,
): Promise<void> {
  const { store, live } = deps;
  const changed = await store.transaction(async (tx) => {
    const message =
      (event.parleyMessageId
        ? await tx.messages.getById(businessId, event.parleyMessageId).catch(() => null)
        : null) ??
      (await tx.channelMessages.findByChannelMessageId(
        businessId,
        event.channel,
        event.channelMessageId,
      ));
    const fresh = await tx.channelMessages.recordReport({
      businessId,
      channel: event.channel,
      channelMessageId: event.channelMessageId,
      status: event.status,
      at: event.at,
      messageId: message?.id ?? null,
      errors: event.errors,
    });
    if (!fresh || !message) return null;
    // A voice note's `played` is more than `read`; Parley's statuses stop at read.
    const status: DeliveryStatus = event.status === 'played' ? 'read' : event.status;
    const moved = await tx.channelMessages.advanceStatus(businessId, message.id, status, {
      ...(status === 'failed' ? { error: describeProviderErrors(event.errors) } : {}),
      channelMessageId: event.channelMessageId,
    });
    return moved ? message : null;
  });
  if (changed) {
    live.publish({
      type: 'message-updated',
      businessId,
      conversationId: changed.conversationId,
      messageId: changed.id,
    });
  }
}

/**
 * Messenger's and Instagram's delivery and read receipts: everything the business sent the
 * customer up to the watermark (or the named messages) was delivered, or read.
 */
export async function applyDeliveryWatermark(
  deps: InboxDependencies,
  businessId: string,
  event: WatermarkEvent,
): Promise<void> {
  const { store, live } = deps;
  const contact = await store.contacts.findByIdentity(businessId, {
    channel: event.channel,
    externalId: event.recipientId,
  });
  if (!contact) return;
  const conversations = (await store.conversations.listForContact(businessId, contact.id)).filter(
    (conversation) => conversation.channel === event.channel,
  );
  const changed = new Map<string, string>();
  const advanced = await store.channelMessages.advanceUpTo(
    businessId,
    conversations.map((conversation) => conversation.id),
    event.watermark,
    event.status,
  );
  for (const message of advanced) changed.set(message.id, message.conversationId);
  for (const channelMessageId of event.channelMessageIds) {
    const message = await store.channelMessages.findByChannelMessageId(
      businessId,
      event.channel,
      channelMessageId,
    );
    if (!message) continue;
    if (await store.channelMessages.advanceStatus(businessId, message.id, event.status)) {
      changed.set(message.id, message.conversationId);
    }
  }
  for (const [messageId, conversationId] of changed) {
    live.publish({ type: 'message-updated', businessId, conversationId, messageId });
  }
}

/** `131026 Message undeliverable: <details>`, for the message's status error. */
export function describeProviderErrors(errors: readonly ProviderError[]): string {
  if (errors.length === 0) return 'The provider reported the message as failed, without a reason.';
  return errors
    .map(
      (error) =>
        `${error.code} ${error.title}${error.details && error.details !== error.title ? `: ${error.details}` : ''}`,
    )
    .join('; ');
}
