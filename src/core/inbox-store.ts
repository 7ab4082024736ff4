import type { ChannelKind } from './channel.js';
import type { Conversation, ConversationState } from './conversation.js';

/** An internal note of the team on a conversation: never sent, never shown to the model. */
export interface ConversationNote {
  id: string;
  businessId: string;
  conversationId: string;
  authorUserId: string | null;
  authorName: string;
  text: string;
  createdAt: Date;
}

/** A reply the business keeps ready, inserted with "/shortcut"; `{{contact.name}}` is filled in. */
export interface CannedReply {
  id: string;
  businessId: string;
  shortcut: string;
  title: string;
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CannedReplyInput {
  shortcut: string;
  title: string;
  body: string;
}

/**
 * The inbox's views. `waiting`: handed off, nobody has taken it yet. `mine`: assigned to the
 * viewer. `unassigned`: needs a person (waiting or held) and nobody is assigned.
 */
export type InboxView = 'all' | 'waiting' | 'mine' | 'unassigned';

export const INBOX_VIEWS: readonly InboxView[] = ['all', 'waiting', 'mine', 'unassigned'];

export interface InboxQuery {
  view?: InboxView | undefined;
  /** Words in a message, or part of the contact's name, phone or e-mail. */
  search?: string | undefined;
  channel?: ChannelKind | undefined;
  tag?: string | undefined;
  state?: ConversationState | undefined;
  limit?: number | undefined;
}

export interface InboxViewCount {
  /** Conversations in the view (with the other filters applied). */
  conversations: number;
  /** Of those, how many have unread customer messages. */
  unread: number;
}

export interface TagCount {
  tag: string;
  conversations: number;
}

export interface InboxRepository {
  /** Conversations matching the query, as seen by `viewerId`: waiting first, unread, recent. */
  search(businessId: string, viewerId: string | null, query: InboxQuery): Promise<Conversation[]>;
  /** Counts of every view under the same search and filters. */
  countViews(
    businessId: string,
    viewerId: string | null,
    query: Omit<InboxQuery, 'view' | 'limit'>,
  ): Promise<Record<InboxView, InboxViewCount>>;
  /** Assigns (or, with null, unassigns) the conversation; null when it does not exist. */
  assign(businessId: string, id: string, userId: string | null): Promise<Conversation | null>;
  /**
   * Round-robin's compare-and-set: assigns only while the conversation is still waiting for a
   * person with nobody assigned, and records the time in the rotation. Null: someone was faster.
   */
  assignWaiting(
    businessId: string,
    id: string,
    userId: string,
    at: Date,
  ): Promise<Conversation | null>;
  /** Of these users, the one given a conversation least recently (never: first), or null. */
  leastRecentlyAssigned(businessId: string, userIds: readonly string[]): Promise<string | null>;
}

export interface ConversationNoteRepository {
  add(input: {
    businessId: string;
    conversationId: string;
    authorUserId: string | null;
    authorName: string;
    text: string;
  }): Promise<ConversationNote>;
  listForConversation(businessId: string, conversationId: string): Promise<ConversationNote[]>;
}

export interface ConversationTagRepository {
  /** Adds the tag; adding one the conversation has is a no-op. */
  add(businessId: string, conversationId: string, tag: string): Promise<void>;
  /** True when the conversation had the tag. */
  remove(businessId: string, conversationId: string, tag: string): Promise<boolean>;
  /** Tags per conversation id, alphabetical (conversations without tags are absent). */
  forConversations(
    businessId: string,
    conversationIds: readonly string[],
  ): Promise<Map<string, string[]>>;
  /** The business's tags with how many conversations carry each, most used first. */
  listForBusiness(businessId: string): Promise<TagCount[]>;
}

export interface CannedReplyRepository {
  list(businessId: string): Promise<CannedReply[]>;
  getById(businessId: string, id: string): Promise<CannedReply | null>;
  /** Throws `conflict` when the shortcut is taken (case-insensitively). */
  create(businessId: string, input: CannedReplyInput): Promise<CannedReply>;
  update(businessId: string, id: string, input: CannedReplyInput): Promise<CannedReply | null>;
  delete(businessId: string, id: string): Promise<boolean>;
}
