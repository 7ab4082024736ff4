import { requestJson } from '../api/request-json.js';

export type LeadAnswer = string | number | boolean;

/** A lead as GET /api/leads shows it. */
export interface WireLead {
  id: string;
  contactId: string;
  contact: { displayName: string | null; phone: string | null; email: string | null };
  conversationId: string | null;
  answers: Record<string, LeadAnswer>;
  score: number;
  stage: string;
  stageSetBy: 'score' | 'person';
  createdAt: string;
  updatedAt: string;
}

export interface LeadPipeline {
  stages: Array<{ name: string; minScore: number | null }>;
  questions: Array<{ id: string; prompt: string; type: string; required: boolean }>;
  webhook: boolean;
}

export interface LeadFilter {
  stage: string;
  text: string;
}

/** The query string of a filter, shared by the list and the CSV export. */
export function leadQuery(filter: LeadFilter): string {
  const params = new URLSearchParams();
  if (filter.stage) params.set('stage', filter.stage);
  if (filter.text.trim()) params.set('text', filter.text.trim());
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Leads: list, CSV export address, a person's stage change. */
export const leadsApi = {
  list: (filter: LeadFilter) =>
    requestJson<{ leads: WireLead[]; pipeline: LeadPipeline }>(`/api/leads${leadQuery(filter)}`),
  csvUrl: (filter: LeadFilter) => `/api/leads.csv${leadQuery(filter)}`,
  setStage: (id: string, stage: string) =>
    requestJson<{ lead: WireLead }>(`/api/leads/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: { stage },
    }),
};
