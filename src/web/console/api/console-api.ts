import type {
  ConversationState,
  WireAgentStep,
  WireBusiness,
  WireConversation,
  WireMessage,
  WireUser,
} from '../../shared/wire-types.js';
import { requestJson } from './request-json.js';

export interface Session {
  user: WireUser;
  business: WireBusiness;
}

export interface ConversationDetail {
  conversation: WireConversation;
  messages: WireMessage[];
  steps: WireAgentStep[];
}

const conversationPath = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

/** The console's calls to Parley's HTTP API, one function per endpoint of the contract. */
export const consoleApi = {
  login: (email: string, password: string) =>
    requestJson<Session>('/api/auth/login', {
      method: 'POST',
      body: { email, password },
      redirectOnUnauthorized: false,
    }),
  logout: () =>
    requestJson<void>('/api/auth/logout', { method: 'POST', redirectOnUnauthorized: false }),
  me: () => requestJson<Session>('/api/auth/me', { redirectOnUnauthorized: false }),
  listConversations: (state: ConversationState | null) =>
    requestJson<{ conversations: WireConversation[] }>(
      state ? `/api/conversations?state=${state}` : '/api/conversations',
    ),
  getConversation: (id: string) => requestJson<ConversationDetail>(conversationPath(id)),
  takeOver: (id: string) =>
    requestJson<{ conversation: WireConversation }>(`${conversationPath(id)}/take-over`, {
      method: 'POST',
    }),
  sendReply: (id: string, text: string) =>
    requestJson<{ message: WireMessage }>(`${conversationPath(id)}/messages`, {
      method: 'POST',
      body: { text },
    }),
  handBack: (id: string) =>
    requestJson<{ conversation: WireConversation }>(`${conversationPath(id)}/hand-back`, {
      method: 'POST',
    }),
  resolve: (id: string) =>
    requestJson<{ conversation: WireConversation }>(`${conversationPath(id)}/resolve`, {
      method: 'POST',
    }),
  markRead: (id: string) => requestJson<void>(`${conversationPath(id)}/read`, { method: 'POST' }),
};
