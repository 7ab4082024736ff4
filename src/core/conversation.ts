import type { ChannelKind } from './channel.js';

/**
 * Who holds the conversation. `agent`: the agent answers. `waiting_for_person`: handed off, the
 * agent is silent until a person takes it. `person`: a person holds it. `resolved`: closed; a new
 * customer message reopens it with the agent.
 */
export type ConversationState = 'agent' | 'waiting_for_person' | 'person' | 'resolved';

export interface AgentFailure {
  at: string;
  code: string;
  message: string;
}

export interface Conversation {
  id: string;
  businessId: string;
  contactId: string;
  channel: ChannelKind;
  state: ConversationState;
  assignedUserId: string | null;
  unreadCount: number;
  lastMessageAt: Date;
  lastMessagePreview: string;
  /** Seq of the newest customer message; the agent owes a turn while it exceeds `agentCursor`. */
  lastInboundSeq: number;
  agentCursor: number;
  lastFailure: AgentFailure | null;
  /** Why the conversation left the agent, e.g. `customer asked for a person`. */
  handoffReason: string | null;
  /** Since when the customer has waited for a person's reply (null: nobody is waiting). */
  waitingSince: Date | null;
  createdAt: Date;
}
