const formats = new Map<string, Intl.DateTimeFormat>();

function partsIn(instant: Date, timeZone: string): Record<string, number> {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = partsIn(new Date(instant), timeZone);
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The business's calendar day at an instant (`YYYY-MM-DD` in its time zone) and the instant that
 * day began: budgets are "per day" as the owner reads a day, not per UTC day. (The same arithmetic
 * as the appointment tools' zoned time; models may not import tools.)
 */
export function businessDay(instant: Date, timeZone: string): { day: string; since: Date } {
  const parts = partsIn(instant, timeZone);
  const day = `${parts.year}-${String(parts.month).padStart(2, '0')}-${String(parts.day).padStart(2, '0')}`;
  const midnight = Date.UTC(parts.year!, parts.month! - 1, parts.day);
  let since = midnight - offsetAt(midnight, timeZone);
  // Across a DST change the offset at local midnight differs from the guess's: use the answer's.
  since = midnight - offsetAt(since, timeZone);
  return { day, since: new Date(since) };
}
