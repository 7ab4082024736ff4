import type { ChannelSender } from '../../core/channel.js';
import { deliverContents } from './deliver-contents.js';
import { messagingFailureAction } from './graph-error-policy.js';
import { renderForMessaging, type MessagingContent } from './messaging-renderer.js';
import { PARLEY_MARK } from './payload-reading.js';
import { findRecipient } from './recipient.js';
import { decideWindow } from './service-window.js';
import type { MetaSenderDependencies } from './whatsapp-sender.js';

/** Messenger and Instagram share Meta's Send API; what differs is the account, host and token. */
interface SendTarget {
  url: string;
  token: string;
  accountKey: string;
}

/**
 * Sends replies through Meta's Send API, for Messenger (`/<page id>/messages`, Page token) or
 * Instagram (`graph.instagram.com/me/messages` with Instagram Login, or through the linked Page).
 * Inside 24 hours a reply is a `RESPONSE`; a person's reply up to 7 days later carries the
 * `HUMAN_AGENT` tag; the agent never writes outside the window.
 */
export function createMessagingSender(
  channel: 'messenger' | 'instagram',
  deps: MetaSenderDependencies,
): ChannelSender {
  const targetFor = (businessId: string): SendTarget | null => {
    if (channel === 'messenger') {
      const account = deps.accounts.messenger(businessId);
      return account
        ? {
            url: deps.graph.url(`${account.pageId}/messages`),
            token: account.pageAccessToken,
            accountKey: `messenger:${account.pageId}`,
          }
        : null;
    }
    const account = deps.accounts.instagram(businessId);
    if (!account) return null;
    return {
      url:
        account.login === 'instagram' || !account.pageId
          ? deps.graph.url('me/messages', 'instagram')
          : deps.graph.url(`${account.pageId}/messages`),
      token: account.accessToken,
      accountKey: `instagram:${account.accountId}`,
    };
  };

  return {
    channel,
    async deliver(delivery) {
      const { message, conversation } = delivery;
      const target = targetFor(message.businessId);
      const name = channel === 'messenger' ? 'Messenger' : 'Instagram';
      if (!target) {
        return {
          kind: 'failed',
          error: `${name} is not connected for this business: add channels.${channel} to its business file and restart Parley.`,
        };
      }
      const recipient = await findRecipient(
        deps.store,
        message.businessId,
        conversation.contactId,
        channel,
      );
      if (!recipient) return { kind: 'failed', error: `The contact has no ${name} id to send to.` };

      const window = decideWindow({
        channel,
        author: message.author,
        lastCustomerMessageAt: await deps.store.customerWindows.lastCustomerMessageAt(
          message.businessId,
          conversation.contactId,
          channel,
        ),
        now: deps.clock.now(),
      });
      if (window.kind === 'closed') {
        return {
          kind: 'failed',
          code: 'window_closed',
          error:
            message.author === 'person'
              ? `window closed: the customer last wrote more than 7 days ago; ${name} accepts no reply until they write again.`
              : `window closed: the customer last wrote more than 24 hours ago; only a person may answer now (with the HUMAN_AGENT tag, up to 7 days). Take over the conversation to reply.`,
        };
      }
      const typing =
        window.kind === 'open'
          ? { messaging_type: 'RESPONSE' }
          : { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
      await deps.readReceipts?.settled(conversation.id);
      return deliverContents({
        store: deps.store,
        pacer: deps.pacer,
        alerts: deps.alerts,
        delivery,
        // Meta publishes no per-second figure for the Send API; the WhatsApp default is safe.
        account: { key: target.accountKey, perSecond: 80 },
        recipient: recipient.id,
        contents: renderForMessaging(message.parts, channel),
        post: (content: MessagingContent) =>
          deps.graph.post(target.url, target.token, {
            recipient: { id: recipient.id },
            ...typing,
            // Messenger echoes `metadata` back: Parley knows its own messages in the echoes.
            message:
              channel === 'messenger'
                ? { ...content, metadata: `${PARLEY_MARK}${message.id}` }
                : content,
          }),
        messageIdOf: (body) => (typeof body.message_id === 'string' ? body.message_id : null),
        failureAction: messagingFailureAction,
        onWindowClosed: (description) =>
          Promise.resolve({
            kind: 'failed',
            code: 'window_closed',
            error: `window closed: ${description}. Only a person may answer now (HUMAN_AGENT tag, up to 7 days after the customer's last message).`,
          }),
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
      });
    },
  };
}
