import type { ChannelKind } from '../../core/channel.js';
import type { MessageAuthor } from '../../core/message.js';

export const SERVICE_WINDOW_MS = 24 * 60 * 60_000;
/** Messenger/Instagram `HUMAN_AGENT` tag: a person may answer up to 7 days after the customer. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60_000;

export type WindowDecision =
  | { kind: 'open' }
  /** Outside 24 h, inside 7 days, and a person wrote it: send with the HUMAN_AGENT tag. */
  | { kind: 'human-agent' }
  | { kind: 'closed'; lastCustomerMessageAt: Date | null };

/**
 * Whether a reply may go out now. A customer message opens a 24-hour window (WhatsApp, Messenger,
 * Instagram). Outside it WhatsApp takes only templates; Messenger and Instagram take a person's
 * reply with the HUMAN_AGENT tag for 7 days, and never an automated one.
 */
export function decideWindow(input: {
  channel: ChannelKind;
  author: MessageAuthor;
  lastCustomerMessageAt: Date | null;
  now: Date;
}): WindowDecision {
  const { lastCustomerMessageAt } = input;
  if (lastCustomerMessageAt === null) return { kind: 'closed', lastCustomerMessageAt };
  const age = input.now.getTime() - lastCustomerMessageAt.getTime();
  if (age < SERVICE_WINDOW_MS) return { kind: 'open' };
  if (
    (input.channel === 'messenger' || input.channel === 'instagram') &&
    input.author === 'person' &&
    age < HUMAN_AGENT_WINDOW_MS
  ) {
    return { kind: 'human-agent' };
  }
  return { kind: 'closed', lastCustomerMessageAt };
}
