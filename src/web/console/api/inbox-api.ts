import type {
  ChannelKind,
  ConversationState,
  WireConversation,
  WireUser,
} from '../../shared/wire-types.js';
import type { ConversationDetail } from './console-api.js';
import { requestJson } from './request-json.js';

/** A conversation as the inbox lists it: with tags and since when the customer waits. */
export interface InboxConversation extends WireConversation {
  tags: string[];
  /** Since when the customer has waited for a person's reply; null when nobody waits. */
  waitingSince: string | null;
}

export type InboxView = 'all' | 'waiting' | 'mine' | 'unassigned';

export interface InboxFilters {
  view: InboxView;
  search: string;
  channel: ChannelKind | null;
  tag: string | null;
  state: ConversationState | null;
}

export type ViewCounts = Record<InboxView, { conversations: number; unread: number }>;

export interface WireNote {
  id: string;
  conversationId: string;
  authorUserId: string | null;
  authorName: string;
  text: string;
  createdAt: string;
}

export interface InboxConversationDetail extends ConversationDetail {
  conversation: InboxConversation;
  notes: WireNote[];
}

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  role: 'owner' | 'staff';
  online: boolean;
}

export interface Team {
  members: TeamMember[];
  responseTargetMinutes: number;
}

export interface CannedReply {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  updatedAt: string;
}

const conversationPath = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

function listQuery(filters: InboxFilters): string {
  const query = new URLSearchParams();
  if (filters.view !== 'all') query.set('view', filters.view);
  if (filters.search.trim()) query.set('q', filters.search.trim());
  if (filters.channel) query.set('channel', filters.channel);
  if (filters.tag) query.set('tag', filters.tag);
  if (filters.state) query.set('state', filters.state);
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The team inbox's calls: views, search, assignment, notes, tags, canned replies, the team. */
export const inboxApi = {
  listConversations: (filters: InboxFilters) =>
    requestJson<{ conversations: InboxConversation[]; counts: ViewCounts }>(
      `/api/conversations${listQuery(filters)}`,
    ),
  getConversation: (id: string) => requestJson<InboxConversationDetail>(conversationPath(id)),
  assign: (id: string, userId: string | null) =>
    requestJson<{ assignedUserId: string | null }>(`${conversationPath(id)}/assign`, {
      method: 'POST',
      body: { userId },
    }),
  addNote: (id: string, text: string) =>
    requestJson<{ note: WireNote }>(`${conversationPath(id)}/notes`, {
      method: 'POST',
      body: { text },
    }),
  addTag: (id: string, tag: string) =>
    requestJson<{ tags: string[] }>(`${conversationPath(id)}/tags`, {
      method: 'POST',
      body: { tag },
    }),
  removeTag: (id: string, tag: string) =>
    requestJson<{ tags: string[] }>(`${conversationPath(id)}/tags/${encodeURIComponent(tag)}`, {
      method: 'DELETE',
    }),
  listTags: () => requestJson<{ tags: Array<{ tag: string; conversations: number }> }>('/api/tags'),
  team: () => requestJson<Team>('/api/inbox/team'),
  addStaff: (member: { name: string; email: string; password: string }) =>
    requestJson<{ user: WireUser }>('/api/inbox/team', { method: 'POST', body: member }),
  cannedRepliesFor: (id: string) =>
    requestJson<{ cannedReplies: Array<CannedReply & { text: string }> }>(
      `${conversationPath(id)}/canned-replies`,
    ),
  listCannedReplies: () => requestJson<{ cannedReplies: CannedReply[] }>('/api/canned-replies'),
  createCannedReply: (reply: { shortcut: string; title: string; body: string }) =>
    requestJson<{ cannedReply: CannedReply }>('/api/canned-replies', {
      method: 'POST',
      body: reply,
    }),
  updateCannedReply: (id: string, reply: { shortcut: string; title: string; body: string }) =>
    requestJson<{ cannedReply: CannedReply }>(`/api/canned-replies/${encodeURIComponent(id)}`, {
      method: 'PUT',
      body: reply,
    }),
  deleteCannedReply: (id: string) =>
    requestJson<void>(`/api/canned-replies/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
