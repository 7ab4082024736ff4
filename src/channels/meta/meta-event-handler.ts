import type { ChannelEvent } from '../../core/channel-event.js';
import type { Store } from '../../core/store.js';
import type { MediaDownloader } from './media-downloader.js';
import type { MetaChannel } from './meta-account-directory.js';
import type { ReadReceipts } from './read-receipts.js';

export interface MetaEventHandlerDependencies {
  store: Store;
  /** The inbox use-case that stores the event (bound by the composition root). */
  apply(
    businessId: string,
    event: ChannelEvent,
  ): Promise<{ turnRequested: boolean; conversationId?: string }>;
  downloadMedia: MediaDownloader | null;
  /**
   * The contact who sent a message (found or created as the inbox would), so a voice note's
   * transcription is logged and budgeted against them; absent: transcribed for nobody in particular.
   */
  senderContact?: (
    businessId: string,
    event: Extract<ChannelEvent, { kind: 'message' }>,
  ) => Promise<string>;
  readReceipts: ReadReceipts | null;
  onProblem(problem: string, details: Record<string, unknown>): void;
}

/**
 * One routed webhook event: a new customer message has its media fetched (before Meta's links
 * expire) and is stored; if it owes the agent a turn, the customer is shown that it was read and
 * an answer is coming. A redelivered message is recognised before any download.
 */
export function createMetaEventHandler(deps: MetaEventHandlerDependencies) {
  return async function handleMetaEvent(businessId: string, event: ChannelEvent): Promise<void> {
    if (event.kind !== 'message') {
      await deps.apply(businessId, event);
      return;
    }
    const channel = event.channel as MetaChannel;
    let parts = event.parts;
    if (deps.downloadMedia && parts.some((part) => part.type === 'media')) {
      // A redelivery must not download again; other messages are deduplicated by the insert.
      const known = await deps.store.channelMessages.findByChannelMessageId(
        businessId,
        event.channel,
        event.channelMessageId,
      );
      if (known) return;
      const speaks = parts.some(
        (part) => part.type === 'media' && (part.kind === 'voice' || part.kind === 'audio'),
      );
      const contactId =
        speaks && deps.senderContact ? await deps.senderContact(businessId, event) : null;
      parts = await deps.downloadMedia(businessId, channel, parts, contactId);
    }
    const applied = await deps.apply(businessId, { ...event, parts });
    if (applied.turnRequested && applied.conversationId && deps.readReceipts) {
      deps.readReceipts
        .markReadAndTyping(businessId, channel, {
          channelMessageId: event.channelMessageId,
          senderId: event.senderId,
          conversationId: applied.conversationId,
        })
        .catch((error: unknown) =>
          deps.onProblem('read receipt failed', { err: error, businessId, channel }),
        );
    }
  };
}
