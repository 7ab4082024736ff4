import type { ChannelKind } from '../../core/channel.js';
import type { ConversationState, AgentFailure } from '../../core/conversation.js';
import type { Choice, MessageAuthor, MessageDirection, MessagePart } from '../../core/message.js';
import type { UserRole } from '../../core/user.js';

export type { ChannelKind, Choice, ConversationState, MessageAuthor, MessagePart };

/**
 * The HTTP API's JSON shapes, as the browser receives them: the same fields as the core types,
 * with dates as ISO strings (see the HTTP contract).
 */
export interface WireMessage {
  id: string;
  seq: number;
  conversationId: string;
  channel: ChannelKind;
  direction: MessageDirection;
  author: MessageAuthor;
  authorUserId: string | null;
  parts: MessagePart[];
  text: string;
  status: string;
  statusError: string | null;
  createdAt: string;
}

/**
 * A message as the widget receives it. The server sends visitors fewer fields than the console
 * (no staff ids, no delivery status), so the widget reads only these.
 */
export type VisitorMessage = Pick<
  WireMessage,
  'id' | 'seq' | 'conversationId' | 'author' | 'parts' | 'text' | 'createdAt'
>;

export interface WireContact {
  id: string;
  displayName: string | null;
  phone: string | null;
  email: string | null;
}

export interface WireConversation {
  id: string;
  contactId: string;
  channel: ChannelKind;
  state: ConversationState;
  assignedUserId: string | null;
  unreadCount: number;
  lastMessageAt: string;
  lastMessagePreview: string;
  lastFailure: AgentFailure | null;
  handoffReason: string | null;
  createdAt: string;
  /** Null if the contact row is missing; the console then names the conversation by contactId. */
  contact: WireContact | null;
}

export interface WireAgentStep {
  id: string;
  turnId: string;
  index: number;
  kind: 'model' | 'tool' | 'error';
  latencyMs: number;
  createdAt: string;
  model?: string;
  inputTokens?: number | null;
  outputTokens?: number | null;
  finishReason?: string;
  text?: string;
  toolName?: string;
  toolCallId?: string;
  input?: unknown;
  output?: unknown;
  error?: string | null;
  code?: string;
  message?: string;
}

export interface WireUser {
  id: string;
  businessId: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: string;
}

export interface WireBusiness {
  id: string;
  slug: string;
  name: string;
}

/** The body of every error response. */
export interface WireErrorBody {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}
