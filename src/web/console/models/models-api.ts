import { requestJson } from '../api/request-json.js';

export interface WireLicence {
  status: 'allowed' | 'refused' | 'unknown';
  name: string | null;
  url: string | null;
  openWeights: boolean | null;
  reasons: string[];
  duties: string[];
}

export interface WireModels {
  models: Array<{
    id: string;
    model: string;
    provider: string;
    location: 'local' | 'external';
    licence: WireLicence | null;
  }>;
  routes: Record<string, { primary: string; fallbacks: string[] }>;
  menuMode: boolean;
  licensing: { domicile: string | null; monthlyActiveUsers: number | null };
  /** What the owner should change in the business file (e.g. the deprecated models.licensing). */
  warnings?: string[];
}

export interface WireDownload {
  name: string;
  source: string;
  status: 'downloading' | 'done' | 'failed';
  receivedBytes: number;
  totalBytes: number | null;
  error: string | null;
}

export interface WireLocalModels {
  pulled: Array<{ name: string; file: string; size: number; sha256: string; snippet: string }>;
  downloads: WireDownload[];
  downloadsOffered: boolean;
  recommended: Array<{ name: string; uri: string; note: string; licence: WireLicence }>;
  servers: Array<{ kind: string; baseUrl: string; models: string[]; snippet: string }>;
}

export interface WireUsage {
  since: string;
  /** The business's time zone, in which `byDay` counts days. */
  timeZone?: string;
  totals: { calls: number; inputTokens: number; outputTokens: number; costMicros: number };
  byDay: Array<{
    day: string;
    modelId: string;
    calls: number;
    inputTokens: number;
    outputTokens: number;
    costMicros: number;
  }>;
  byConversation: Array<{
    conversationId: string;
    contactName: string | null;
    calls: number;
    tokens: number;
    costMicros: number;
  }>;
}

export interface WireBudget {
  day: string;
  limits: { perBusinessPerDay: number | null; perContactPerDay: number | null; alertAt: number };
  business: { spentMicros: number; share: number | null };
  contacts: Array<{
    contactId: string;
    name: string | null;
    calls: number;
    costMicros: number;
    share: number | null;
  }>;
}

export interface WireWhatIf {
  traffic: { days: number; calls: number };
  monthlyCalls: number;
  perQuery: { inputTokens: number; outputTokens: number };
  rows: Array<{
    modelId: string;
    model: string;
    location: 'local' | 'external';
    priceSource: string;
    monthlyCostMicros: number;
    perQueryMicros: number;
  }>;
  fixed: { machines: number; utilisation: number | null; monthlyCostMicros: number } | null;
}

export interface WhatIfInput {
  days: number;
  queriesPerDay: number | null;
  gpuPerHour: number | null;
  gpuTokensPerSecond: number | null;
}

function query(values: Record<string, number | null>): string {
  const entries = Object.entries(values).filter(
    (entry): entry is [string, number] => entry[1] !== null,
  );
  return new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString();
}

/** The model gateway's console API: models, local downloads, usage, budgets, what-if. */
export const modelsApi = {
  models: () => requestJson<WireModels>('/api/models'),
  local: () => requestJson<WireLocalModels>('/api/models/local'),
  pull: (source: string) =>
    requestJson<{ download: WireDownload }>('/api/models/pull', {
      method: 'POST',
      body: { source },
    }),
  usage: (days: number) => requestJson<WireUsage>(`/api/models/usage?days=${days}`),
  budget: () => requestJson<WireBudget>('/api/models/budget'),
  whatIf: (input: WhatIfInput) =>
    requestJson<WireWhatIf>(`/api/models/what-if?${query({ ...input })}`),
};

/** Money from micro-units: `$0.0042`, `$12.30`, `$1,250`. */
export function money(micros: number): string {
  const value = micros / 1e6;
  if (value === 0) return '$0';
  if (Math.abs(value) < 0.01) return `$${value.toPrecision(2)}`;
  if (Math.abs(value) < 1000) return `$${value.toFixed(2)}`;
  return `$${Math.round(value).toLocaleString('en')}`;
}

/** `1.2k`, `3.4M` tokens. */
export function count(value: number): string {
  if (value < 1000) return String(Math.round(value));
  if (value < 1e6) return `${(value / 1e3).toFixed(1)}k`;
  return `${(value / 1e6).toFixed(1)}M`;
}

export function bytes(value: number): string {
  return `${(value / 1_048_576).toFixed(1)} MB`;
}
