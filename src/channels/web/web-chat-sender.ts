import type { ChannelSender } from '../../core/channel.js';

/**
 * The web chat has nothing to push to: the visitor's widget reads its conversation from Parley's
 * own stream. Delivering is therefore recording the message as sent; the stream shows it.
 */
export function createWebChatSender(): ChannelSender {
  return {
    channel: 'web',
    deliver: () => Promise.resolve({ kind: 'sent', channelMessageId: null }),
  };
}
