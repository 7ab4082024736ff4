import type { AnalyticsDay, ConversationAnalytics } from '../core/analytics.js';
import { ParleyError, notFound } from '../core/errors.js';
import type { Store } from '../core/store.js';

/** The longest range the page asks for: a year, leap day included. */
export const MAX_ANALYTICS_DAYS = 366;

const DAY_MS = 86_400_000;

function parseDay(name: 'from' | 'to', value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new ParleyError(
      'validation_failed',
      `"${name}" must be a calendar date as YYYY-MM-DD, such as 2026-03-01 (got "${value}").`,
    );
  }
  return time;
}

/**
 * The Analytics page: conversations opened on the business's local days `from`..`to`
 * (inclusive) — per day and channel, resolved by the agent or handed off (and why), and the
 * median first response and time to resolution.
 */
export async function conversationAnalytics(
  deps: { store: Store },
  input: { businessId: string; from: string; to: string },
): Promise<ConversationAnalytics> {
  const fromTime = parseDay('from', input.from);
  const toTime = parseDay('to', input.to);
  if (fromTime > toTime) {
    throw new ParleyError(
      'validation_failed',
      `"from" (${input.from}) is after "to" (${input.to}): swap them.`,
    );
  }
  const dayCount = (toTime - fromTime) / DAY_MS + 1;
  if (dayCount > MAX_ANALYTICS_DAYS) {
    throw new ParleyError(
      'validation_failed',
      `The range spans ${dayCount} days; ask for at most ${MAX_ANALYTICS_DAYS} days at a time.`,
    );
  }
  const business = await deps.store.businesses.getById(input.businessId);
  if (!business) throw notFound('Business');
  const timezone = business.profile.timezone;
  const aggregates = await deps.store.analytics.conversations(input.businessId, {
    from: input.from,
    to: input.to,
    timezone,
  });

  const channels = [...new Set(aggregates.days.map((row) => row.channel))].sort();
  const byDate = new Map<string, AnalyticsDay>();
  const days: AnalyticsDay[] = [];
  for (let index = 0; index < dayCount; index += 1) {
    const date = new Date(fromTime + index * DAY_MS).toISOString().slice(0, 10);
    const day: AnalyticsDay = { date, byChannel: {}, total: 0 };
    for (const channel of channels) day.byChannel[channel] = 0;
    byDate.set(date, day);
    days.push(day);
  }
  for (const row of aggregates.days) {
    const day = byDate.get(row.date);
    if (!day) continue;
    day.byChannel[row.channel] = row.count;
    day.total += row.count;
  }
  return {
    from: input.from,
    to: input.to,
    timezone,
    days,
    channels,
    total: days.reduce((sum, day) => sum + day.total, 0),
    resolvedByAgent: aggregates.resolvedByAgent,
    handedOff: aggregates.handedOff,
    handedOffByCause: Object.fromEntries(
      aggregates.handedOffByCause.map((row) => [row.cause, row.count]),
    ),
    medianFirstResponseSeconds: aggregates.medianFirstResponseSeconds,
    medianFirstResponseAgentSeconds: aggregates.medianFirstResponseAgentSeconds,
    medianFirstResponsePersonSeconds: aggregates.medianFirstResponsePersonSeconds,
    medianResolutionSeconds: aggregates.medianResolutionSeconds,
  };
}
