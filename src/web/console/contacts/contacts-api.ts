import { requestJson } from '../api/request-json.js';

export interface ContactIdentity {
  channel: string;
  externalId: string;
}

export interface PanelContact {
  id: string;
  displayName: string | null;
  phone: string | null;
  email: string | null;
  vip: boolean;
  flagged: boolean;
  createdAt: string;
  identities: ContactIdentity[];
}

/** GET /api/contacts/:id: what the panel beside a thread shows. */
export interface ContactProfile {
  contact: PanelContact;
  conversations: Array<{
    id: string;
    channel: string;
    state: string;
    lastMessageAt: string;
    lastMessagePreview: string;
  }>;
  orders: Array<{
    id: string;
    number: number;
    status: string;
    currency: string;
    totalMinor: number;
    createdAt: string;
  }>;
  appointments: Array<{
    id: string;
    serviceName: string;
    staffName: string;
    startsAt: string;
    status: string;
  }>;
  lead: {
    id: string;
    stage: string;
    score: number;
    answers: Record<string, string | number | boolean>;
    updatedAt: string;
  } | null;
}

const contactPath = (id: string) => `/api/contacts/${encodeURIComponent(id)}`;

/** The contact panel's calls: profile, search, changes, and merging two contacts. */
export const contactsApi = {
  profile: (id: string) => requestJson<ContactProfile>(contactPath(id)),
  search: (q: string) =>
    requestJson<{ contacts: PanelContact[] }>(`/api/contacts?q=${encodeURIComponent(q)}`),
  update: (
    id: string,
    changes: { displayName?: string | null; vip?: boolean; flagged?: boolean },
  ) => requestJson<{ contact: PanelContact }>(contactPath(id), { method: 'PATCH', body: changes }),
  merge: (keepId: string, mergeId: string) =>
    requestJson<{ contact: PanelContact; moved: Record<string, number> }>(
      `${contactPath(keepId)}/merge`,
      { method: 'POST', body: { contactId: mergeId } },
    ),
};
