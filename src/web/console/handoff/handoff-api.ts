import { requestJson } from '../api/request-json.js';

export type HandoffAction = 'handoff' | 'callback' | 'notify';
export type NotifyChannel = 'console' | 'email' | 'whatsapp' | 'zendesk';

/** One trigger as the API shows it: common settings plus the trigger's own (level, words…). */
export interface TriggerInput {
  enabled: boolean;
  action: HandoffAction;
  notify: NotifyChannel[];
  [setting: string]: unknown;
}

/** The policy in the shape of the business file's `handoff:` section (amounts in major units). */
export interface HandoffPolicyInput {
  triggers: Record<string, TriggerInput>;
  notifications: { email: string[]; whatsapp: string | null };
}

export interface HandoffPolicyResponse {
  policy: HandoffPolicyInput | null;
  source: 'file' | 'console';
  updatedAt: string | null;
}

/** One evaluated rule of one agent turn (see GET /api/conversations/:id/handoff-decisions). */
export interface HandoffDecision {
  id: string;
  turnId: string;
  phase: 'before' | 'after';
  trigger: string;
  fired: boolean;
  action: HandoffAction;
  evidence: string;
  deciding: boolean;
  createdAt: string;
}

/** GET /api/conversations/:id/handoff-summary: the briefing for whoever takes over. */
export interface HandoffSummary {
  source: 'model' | 'facts';
  text: string;
  trigger: string | null;
  evidence: string | null;
  modelName: string | null;
  createdAt: string;
}

/** The handoff policy (GET for members, PUT for the owner) and each thread's decisions. */
export const handoffApi = {
  getPolicy: () => requestJson<HandoffPolicyResponse>('/api/handoff-policy'),
  putPolicy: (policy: unknown) =>
    requestJson<HandoffPolicyResponse>('/api/handoff-policy', { method: 'PUT', body: policy }),
  decisions: (conversationId: string) =>
    requestJson<{ decisions: HandoffDecision[] }>(
      `/api/conversations/${encodeURIComponent(conversationId)}/handoff-decisions`,
    ),
  summary: (conversationId: string) =>
    requestJson<{ summary: HandoffSummary | null }>(
      `/api/conversations/${encodeURIComponent(conversationId)}/handoff-summary`,
    ),
};
