import { minorDigits } from '../../core/money.js';
import { extractFigures } from './figures.js';

/** Everything a reply may state, gathered from trusted sources of one turn. */
export interface GroundingFacts {
  money: Set<number>;
  counts: Set<number>;
  dates: Set<string>;
  times: Set<number>;
  /** Texts already read: tool results repeat the same strings (prices, labels) many times. */
  seen: Set<string>;
}

export function emptyFacts(): GroundingFacts {
  return {
    money: new Set(),
    counts: new Set(),
    dates: new Set(),
    times: new Set(),
    seen: new Set(),
  };
}

const ISO_DATE_TIME =
  /\b(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})\b/g;
const MONEY_KEY = /(price|amount|total|cost|fee|deposit|subtotal)/i;
const DIGITS = /\d+(?:[.,]\d+)?/g;

/**
 * Adds the figures of a tool result (any JSON) to `facts`. Strings are read like replies are,
 * instants (ISO 8601 with an offset) are also read as the business's local date and time, and
 * numbers count as stock figures; a number under a key ending in `Minor` is an amount in minor
 * units of `currency`, and one under a price-like key an amount in major units.
 */
export function addFactsFromValue(
  facts: GroundingFacts,
  value: unknown,
  options: { currency: string; timeZone: string },
  key = '',
  depth = 0,
): void {
  if (depth > 12 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    addFactsFromText(facts, value, options.timeZone);
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return;
    if (key.endsWith('Minor')) {
      facts.money.add(Math.round((value / 10 ** minorDigits(options.currency)) * 100));
    } else {
      if (MONEY_KEY.test(key)) facts.money.add(Math.round(value * 100));
      if (Number.isInteger(value)) facts.counts.add(value);
    }
    return;
  }
  if (value instanceof Date) {
    addInstant(facts, value, options.timeZone);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) addFactsFromValue(facts, item, options, key, depth + 1);
    return;
  }
  if (typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) {
      addFactsFromValue(facts, child, options, childKey, depth + 1);
    }
  }
}

/** Adds every figure written in `text`, and every whole number in it as a possible count. */
export function addFactsFromText(facts: GroundingFacts, text: string, timeZone: string): void {
  if (facts.seen.has(text) || !/\d|noon|midday/i.test(text)) return;
  facts.seen.add(text);
  ISO_DATE_TIME.lastIndex = 0;
  // exec, not matchAll, which copies the pattern on every call (see figures.ts).
  for (let match = ISO_DATE_TIME.exec(text); match !== null; match = ISO_DATE_TIME.exec(text)) {
    const instant = new Date(`${match[1]}T${match[2]}:${match[3]}:00${normaliseOffset(match[4]!)}`);
    if (!Number.isNaN(instant.getTime())) addInstant(facts, instant, timeZone);
  }
  for (const figure of extractFigures(text)) {
    switch (figure.kind) {
      case 'money':
        facts.money.add(figure.hundredths);
        break;
      case 'count':
        facts.counts.add(figure.value);
        break;
      case 'date':
        for (const key of figure.keys) {
          facts.dates.add(key);
          // A fact with a year also grounds the same day written without one.
          if (key.split('-').length === 3) facts.dates.add(key.slice(key.indexOf('-') + 1));
        }
        break;
      case 'time':
        for (const minutes of figure.minutes) facts.times.add(minutes);
        break;
    }
  }
  for (const match of text.match(DIGITS) ?? []) {
    const number = Number(match.replace(',', '.'));
    if (Number.isInteger(number)) facts.counts.add(number);
  }
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
// Local readings of recent instants: slots and orders repeat the same times turn after turn.
const readings = new Map<string, Array<[string, string, number]>>();

/** An instant as the business's local calendar date and clock time (and as UTC, for safety). */
function addInstant(facts: GroundingFacts, instant: Date, timeZone: string): void {
  const cacheKey = `${timeZone} ${instant.getTime()}`;
  let known = readings.get(cacheKey);
  if (!known) {
    known = [];
    readInstant(instant, timeZone, known);
    if (readings.size > 10_000) readings.clear();
    readings.set(cacheKey, known);
  }
  for (const [monthDay, yearMonthDay, minutes] of known) {
    facts.dates.add(monthDay);
    facts.dates.add(yearMonthDay);
    facts.times.add(minutes);
  }
}

function readInstant(instant: Date, timeZone: string, into: Array<[string, string, number]>): void {
  for (const zone of [timeZone, 'UTC']) {
    let format = partsCache.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      });
      partsCache.set(zone, format);
    }
    const parts = Object.fromEntries(
      format.formatToParts(instant).map((part) => [part.type, part.value]),
    );
    const month = Number(parts.month);
    const day = Number(parts.day);
    into.push([
      `${month}-${day}`,
      `${Number(parts.year)}-${month}-${day}`,
      Number(parts.hour) * 60 + Number(parts.minute),
    ]);
  }
}

function normaliseOffset(offset: string): string {
  if (offset === 'Z') return 'Z';
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}
