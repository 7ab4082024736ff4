/** What a model is asked to do; each task has its own primary model and fallbacks. */
export const MODEL_TASKS = [
  'customer-replies',
  'summaries',
  'embeddings',
  'transcription',
  'owner-workspace',
] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];

/** Where a model runs: on the business's own machines, or at a third party. */
export type ModelLocation = 'local' | 'external';

/**
 * One model call, as the egress log and the cost ledger record it: who it was for, which provider
 * got it, what kinds of personal data it held and what was redacted (types and counts, never the
 * values), tokens and cost. Refused calls (budget, data class) are recorded too.
 */
export interface ModelCallRecord {
  businessId: string;
  contactId: string | null;
  conversationId: string | null;
  /** Who asked: the customer agent, an API client of the gateway, the owner's workspace. */
  source: 'agent' | 'gateway' | 'workspace';
  task: ModelTask;
  /** The configured model's id (`models.catalog` key), or `-` when none could be chosen. */
  modelId: string;
  /** `openai`, `anthropic`, `openai-compatible`, `embedded`. */
  provider: string;
  location: ModelLocation;
  /** Data classes present in what the model was sent: `personal`, `payment`, `health`. */
  dataClasses: string[];
  /** Distinct values replaced by placeholders, by PII type. */
  redactions: Record<string, number>;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedInputTokens: number | null;
  /** Seconds of audio transcribed (speech to text), when the server reports them. */
  audioSeconds?: number | null | undefined;
  /** Cost in millionths of the price table's currency (USD by default). */
  costMicros: number;
  latencyMs: number;
  outcome: 'ok' | 'error' | 'refused';
  errorCode: string | null;
  /** The model that failed just before this one answered (a fallback), if any. */
  fallbackFrom: string | null;
  at: Date;
}

export interface ModelCall extends ModelCallRecord {
  id: string;
}

export interface ModelUsageRow {
  /** `YYYY-MM-DD` in the time zone asked for (UTC by default). */
  day: string;
  modelId: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Seconds of audio transcribed. */
  audioSeconds: number;
  costMicros: number;
}

export interface ModelCallRepository {
  insertMany(records: readonly ModelCallRecord[]): Promise<void>;
  /** Newest first. */
  list(
    businessId: string,
    options?: { since?: Date; conversationId?: string; limit?: number },
  ): Promise<ModelCall[]>;
  /** Money spent since `since` by the business, or by one of its contacts. */
  spend(businessId: string, options: { since: Date; contactId?: string }): Promise<number>;
  /** Calls, tokens and cost per day (in `timeZone`, default UTC) and model, oldest first. */
  usageByDay(
    businessId: string,
    options: { since: Date; until?: Date; timeZone?: string },
  ): Promise<ModelUsageRow[]>;
  /** Money spent since `since` per contact, biggest spenders first. */
  spendByContact(
    businessId: string,
    options: { since: Date; limit?: number },
  ): Promise<Array<{ contactId: string; calls: number; costMicros: number }>>;
  /** Cost and tokens per conversation since `since`, most expensive first. */
  usageByConversation(
    businessId: string,
    options: { since: Date; limit?: number },
  ): Promise<Array<{ conversationId: string; calls: number; tokens: number; costMicros: number }>>;
}
