import type { GraphClient } from './graph-client.js';
import type { MetaAccountDirectory, MetaChannel } from './meta-account-directory.js';

/**
 * Tells the customer their message was read and that an answer is being written, while the agent
 * works: WhatsApp's read status with a typing indicator (cleared by the reply or after 25 s),
 * Messenger's and Instagram's `mark_seen` and `typing_on` sender actions. Best effort: a failure
 * here changes nothing else.
 */
export function createReadReceipts(deps: { graph: GraphClient; accounts: MetaAccountDirectory }) {
  const inFlight = new Map<string, Promise<void>>();

  async function send(
    businessId: string,
    channel: MetaChannel,
    input: { channelMessageId: string; senderId: string },
  ): Promise<void> {
    if (channel === 'whatsapp') {
      const account = deps.accounts.whatsapp(businessId);
      if (!account) return;
      await deps.graph.post(
        deps.graph.url(`${account.phoneNumberId}/messages`),
        account.accessToken,
        {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: input.channelMessageId,
          typing_indicator: { type: 'text' },
        },
      );
      return;
    }
    const target =
      channel === 'messenger'
        ? (() => {
            const account = deps.accounts.messenger(businessId);
            return account
              ? {
                  url: deps.graph.url(`${account.pageId}/messages`),
                  token: account.pageAccessToken,
                }
              : null;
          })()
        : (() => {
            const account = deps.accounts.instagram(businessId);
            if (!account) return null;
            return {
              url:
                account.login === 'instagram' || !account.pageId
                  ? deps.graph.url('me/messages', 'instagram')
                  : deps.graph.url(`${account.pageId}/messages`),
              token: account.accessToken,
            };
          })();
    if (!target) return;
    for (const action of ['mark_seen', 'typing_on']) {
      await deps.graph.post(target.url, target.token, {
        recipient: { id: input.senderId },
        sender_action: action,
      });
    }
  }

  return {
    /**
     * Marks the message read and shows typing. The conversation's reply waits for this (see
     * `settled`), so the indicator never arrives after the answer it announces.
     */
    markReadAndTyping(
      businessId: string,
      channel: MetaChannel,
      input: { channelMessageId: string; senderId: string; conversationId: string },
    ): Promise<void> {
      const running = send(businessId, channel, input).finally(() => {
        if (inFlight.get(input.conversationId) === running) inFlight.delete(input.conversationId);
      });
      inFlight.set(
        input.conversationId,
        running.catch(() => {}),
      );
      return running;
    },
    /** Resolves once the conversation's read receipt is out (or failed), at most `maxWaitMs`. */
    async settled(conversationId: string, maxWaitMs = 3_000): Promise<void> {
      const running = inFlight.get(conversationId);
      if (!running) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        running,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs))),
      ]);
      clearTimeout(timer);
    },
  };
}

export type ReadReceipts = ReturnType<typeof createReadReceipts>;
