import { localParts, zonedToInstant } from '../core/zoned-time.js';

/**
 * The business's calendar day at an instant (`YYYY-MM-DD` in its time zone) and the instant that
 * day began: budgets are "per day" as the owner reads a day, not per UTC day.
 */
export function businessDay(instant: Date, timeZone: string): { day: string; since: Date } {
  const { date } = localParts(instant, timeZone);
  return { day: date, since: zonedToInstant(date, 0, timeZone) };
}
