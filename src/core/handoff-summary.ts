/** What the person taking over a conversation reads first. */
export interface HandoffSummary {
  id: string;
  businessId: string;
  conversationId: string;
  /** `model`: written by the summaries route of the model gateway; `facts`: composed in code. */
  source: 'model' | 'facts';
  text: string;
  /** The rule that handed the conversation over and what it saw, when a rule did. */
  trigger: string | null;
  evidence: string | null;
  /** The model that wrote it (source `model`). */
  modelName: string | null;
  createdAt: Date;
}

export interface HandoffSummaryRepository {
  insert(summary: Omit<HandoffSummary, 'id' | 'createdAt'>): Promise<HandoffSummary>;
  /** The newest summary of the conversation, or null. */
  latest(businessId: string, conversationId: string): Promise<HandoffSummary | null>;
}
