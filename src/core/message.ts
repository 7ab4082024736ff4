import type { ChannelKind } from './channel.js';

export type MessageDirection = 'inbound' | 'outbound';
/** Who wrote it: the customer, the agent, a person of the business, or Parley itself. */
export type MessageAuthor = 'customer' | 'agent' | 'person' | 'system';
export type DeliveryStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

/** A choice offered to the customer: rendered as buttons, quick replies or a numbered menu. */
export interface Choice {
  id: string;
  title: string;
}

/** Channel-neutral message content. New kinds are added here, never as channel-specific blobs. */
export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'choices'; choices: Choice[] }
  | { type: 'choice-reply'; choiceId: string; title: string };

export interface Message {
  id: string;
  /** Installation-wide, strictly increasing: the cursor for live streams and replay. */
  seq: number;
  businessId: string;
  conversationId: string;
  channel: ChannelKind;
  direction: MessageDirection;
  author: MessageAuthor;
  authorUserId: string | null;
  parts: MessagePart[];
  text: string;
  channelMessageId: string | null;
  status: DeliveryStatus;
  statusError: string | null;
  createdAt: Date;
}

/** The plain text of a message's parts, as a model or a search index would read it. */
export function textOfParts(parts: readonly MessagePart[]): string {
  return parts
    .map((part) => {
      switch (part.type) {
        case 'text':
          return part.text;
        case 'choice-reply':
          return part.title;
        case 'choices':
          return part.choices.map((choice) => `- ${choice.title}`).join('\n');
      }
    })
    .filter((text) => text.length > 0)
    .join('\n');
}
