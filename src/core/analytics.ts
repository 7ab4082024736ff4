import type { HandoffTrigger } from './handoff.js';

/**
 * Why a conversation reached a person: the handoff rule that decided it, `takeOver` when a person
 * took it over with no rule firing, `other` for handoffs outside the policy (the menu's "talk to a
 * person", a reply that failed the grounding check).
 */
export type HandoffCause = HandoffTrigger | 'takeOver' | 'other';

/** Conversations opened on one local day of the business, by channel. */
export interface AnalyticsDay {
  /** `YYYY-MM-DD` in the business's time zone. */
  date: string;
  byChannel: Record<string, number>;
  total: number;
}

/** The figures of the Analytics page, for conversations opened in a range of local days. */
export interface ConversationAnalytics {
  from: string;
  to: string;
  timezone: string;
  /** Every day of the range, oldest first, days without conversations included. */
  days: AnalyticsDay[];
  channels: string[];
  total: number;
  /** Resolved without ever reaching a person. */
  resolvedByAgent: number;
  /** Reached a person (handed off by a rule, taken over, or handed off outside the policy). */
  handedOff: number;
  handedOffByCause: Partial<Record<HandoffCause, number>>;
  /** Medians in seconds; null when no conversation of the range has one. */
  medianFirstResponseSeconds: number | null;
  medianFirstResponseAgentSeconds: number | null;
  medianFirstResponsePersonSeconds: number | null;
  medianResolutionSeconds: number | null;
}

/** Raw aggregates; the use-case fills in the range's empty days. */
export interface AnalyticsAggregates {
  days: Array<{ date: string; channel: string; count: number }>;
  resolvedByAgent: number;
  handedOff: number;
  handedOffByCause: Array<{ cause: HandoffCause; count: number }>;
  medianFirstResponseSeconds: number | null;
  medianFirstResponseAgentSeconds: number | null;
  medianFirstResponsePersonSeconds: number | null;
  medianResolutionSeconds: number | null;
}

export interface AnalyticsRepository {
  /** Aggregates over conversations created on local days `from`..`to` (inclusive) in `timezone`. */
  conversations(
    businessId: string,
    range: { from: string; to: string; timezone: string },
  ): Promise<AnalyticsAggregates>;
}
