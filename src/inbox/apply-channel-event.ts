import type { ChannelEvent } from '../core/channel-event.js';
import { applyDeliveryStatus, applyDeliveryWatermark } from './apply-delivery-status.js';
import { followIdentityChange } from './follow-identity-change.js';
import type { InboxDependencies } from './inbox-dependencies.js';
import { receiveCustomerMessage } from './receive-customer-message.js';
import { recordBusinessEcho } from './record-business-echo.js';

export interface AppliedChannelEvent {
  /** A new customer message now owes an agent turn (read receipts and typing may be shown). */
  turnRequested: boolean;
  /** The conversation the event landed in, when it was a new customer message. */
  conversationId?: string;
}

/** Applies one event from a provider webhook, already routed to its business. Idempotent. */
export async function applyChannelEvent(
  deps: InboxDependencies,
  businessId: string,
  event: ChannelEvent,
): Promise<AppliedChannelEvent> {
  switch (event.kind) {
    case 'message': {
      const received = await receiveCustomerMessage(deps, {
        businessId,
        channel: event.channel,
        senderId: event.senderId,
        alternateSenderIds: event.alternateSenderIds,
        senderProfile: event.profile,
        parts: event.parts,
        channelMessageId: event.channelMessageId,
        sentAt: event.sentAt,
        requestsTurn: event.requestsTurn,
      });
      return {
        turnRequested:
          !received.duplicate && event.requestsTurn && received.conversation.state === 'agent',
        conversationId: received.conversation.id,
      };
    }
    case 'echo':
      await recordBusinessEcho(deps, businessId, event);
      break;
    case 'status':
      await applyDeliveryStatus(deps, businessId, event);
      break;
    case 'watermark':
      await applyDeliveryWatermark(deps, businessId, event);
      break;
    case 'identity-change':
      await followIdentityChange(deps, businessId, event);
      break;
    case 'provider-error':
    case 'ignored':
      break;
  }
  return { turnRequested: false };
}
