/**
 * The figures a reply can state that Promise 1 covers: money, stock counts, calendar dates and
 * clock times, each normalised so that "£1,149", "1149.00 GBP" and "£1149.00" compare equal.
 */
export type Figure =
  /** `hundredths`: the amount × 100 in major units (pounds, euros), rounded. */
  | { kind: 'money'; hundredths: number; text: string }
  | { kind: 'count'; value: number; text: string }
  /** Either reading of an ambiguous "12/11" is listed, so either may be grounded. */
  | { kind: 'date'; keys: string[]; text: string }
  /** Minutes after midnight; "3:00" without am/pm may be either 03:00 or 15:00. */
  | { kind: 'time'; minutes: number[]; text: string };

const MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
] as const;
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const NUMBER = String.raw`(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
const SYMBOL = String.raw`(US\$|A\$|C\$|NZ\$|HK\$|R\$|[£$€¥₹₩₺₽₪])`;
const CODE = String.raw`(GBP|USD|EUR|CAD|AUD|NZD|CHF|JPY|SEK|NOK|DKK|PLN|INR|BRL|ZAR)`;
const WORD = String.raw`(pounds?|quid|euros?|dollars?|francs?|kronor|kroner|zloty)`;

// Without the `u` flag: with it, V8 matches case-insensitive patterns several times slower
// (37 µs instead of 1.3 µs for `noon|midday` over 1 KB). The only difference `u` makes to
// these patterns is Unicode case folding, under which "ſ" (long s) matches "s" and "K" (Kelvin
// sign) matches "k"; extractFigures maps both to ASCII first, so "in ſtock" is still read.
const PATTERNS = {
  moneySymbol: new RegExp(String.raw`${SYMBOL}\s?${NUMBER}(?![\d])`, 'gi'),
  moneyCodeBefore: new RegExp(String.raw`\b${CODE}\s?${NUMBER}(?![\d])`, 'gi'),
  moneyAfter: new RegExp(String.raw`(?<![\d.,])${NUMBER}\s?(?:${CODE}|${WORD})\b`, 'gi'),
  // "3,50 €", "1.149,00 €": the symbol after the amount, as in much of Europe.
  moneySymbolAfter: new RegExp(String.raw`(?<![\d.,])${NUMBER}\s?(?:€|£|¥|₹|₩|₺|₽|₪|kr|zł)`, 'gi'),
  moneyPence: /(?<![\d.,£$€])(\d{1,2})\s?p\b(?!\.?m)/gi,
  isoDate: /\b(\d{4})-(\d{2})-(\d{2})\b/g,
  dayMonth: new RegExp(
    String.raw`\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+${MONTH}\b\.?(?:,?\s+(\d{4}))?`,
    'gi',
  ),
  monthDay: new RegExp(
    String.raw`\b${MONTH}\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`,
    'gi',
  ),
  slashDate: /\b(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?\b/g,
  clock: /\b(\d{1,2})[:h](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?(?![\d:])/gi,
  meridiem: /\b(\d{1,2})(?:\.(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)(?![a-z])/gi,
  noon: /\b(noon|midday)\b/gi,
  stockAfter:
    /\b(\d{1,6})\s+(?:(?:left|in stock|available|remaining)\b|(?:units?|pieces?|pcs)\b(?:\s+(?:left|in stock|available))?)/gi,
  stockBefore:
    /\b(?:only|just|we have|there are|stock(?: level)?(?: of| is|:)?)\s+(\d{1,6})\b(?!\s*[:.,/]\d)/gi,
};

/** Every figure in `text`, in the order found (overlaps resolved: money wins over counts). */
export function extractFigures(written: string): Figure[] {
  // Most strings in tool results (names, notes) hold no figure at all: skip them cheaply.
  if (!/\d|noon|midday/i.test(written)) return [];
  // One UTF-16 unit for another: positions, and so overlaps, stay as written.
  const text = /[\u017f\u212a]/.test(written)
    ? written.replace(/\u017f/g, 's').replace(/\u212a/g, 'k')
    : written;
  const has = {
    iso: /\d{4}-\d/.test(text),
    money: /[£$€¥₹₩₺₽₪]|kr|zł|[A-Z]{3}|pound|quid|euro|dollar|franc|kron|zlot/i.test(text),
    pence: /\d\s?p/i.test(text),
    month: /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i.test(text),
    slash: text.includes('/'),
    clock: /\d[:h]\d/.test(text),
    meridiem: /\d\s*[ap]\.?m/i.test(text),
    noon: /noon|midday/i.test(text),
    stock: /left|stock|available|remaining|unit|piece|pcs|only|just|have|there are/i.test(text),
  };
  const figures: Figure[] = [];
  const taken: Array<[number, number]> = [];
  const claim = (match: RegExpExecArray): boolean => {
    const start = match.index;
    const end = start + match[0].length;
    if (taken.some(([from, to]) => start < to && end > from)) return false;
    taken.push([start, end]);
    return true;
  };
  for (const match of has.iso ? matchesOf(PATTERNS.isoDate, text) : []) {
    if (!claim(match)) continue;
    figures.push({
      kind: 'date',
      keys: dateKeys(Number(match[2]), Number(match[3]), Number(match[1])),
      text: match[0],
    });
  }
  for (const pattern of has.money ? [PATTERNS.moneySymbol, PATTERNS.moneyCodeBefore] : []) {
    for (const match of matchesOf(pattern, text)) {
      if (!claim(match)) continue;
      figures.push({ kind: 'money', hundredths: toHundredths(match[2]!), text: match[0] });
    }
  }
  for (const match of has.money
    ? [...matchesOf(PATTERNS.moneyAfter, text), ...matchesOf(PATTERNS.moneySymbolAfter, text)]
    : []) {
    if (!claim(match)) continue;
    figures.push({ kind: 'money', hundredths: toHundredths(match[1]!), text: match[0] });
  }
  for (const match of has.pence ? matchesOf(PATTERNS.moneyPence, text) : []) {
    if (!claim(match)) continue;
    figures.push({ kind: 'money', hundredths: Number(match[1]), text: match[0] });
  }
  for (const match of has.month ? matchesOf(PATTERNS.dayMonth, text) : []) {
    if (!claim(match)) continue;
    const month = monthNumber(match[2]!);
    const year = match[3] ? Number(match[3]) : undefined;
    figures.push({ kind: 'date', keys: dateKeys(month, Number(match[1]), year), text: match[0] });
  }
  for (const match of has.month ? matchesOf(PATTERNS.monthDay, text) : []) {
    if (!claim(match)) continue;
    const month = monthNumber(match[1]!);
    const year = match[3] ? Number(match[3]) : undefined;
    figures.push({ kind: 'date', keys: dateKeys(month, Number(match[2]), year), text: match[0] });
  }
  for (const match of has.slash ? matchesOf(PATTERNS.slashDate, text) : []) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    const year = match[3] ? normaliseYear(Number(match[3])) : undefined;
    const keys = [
      ...(second <= 12 && first <= 31 ? dateKeys(second, first, year) : []),
      ...(first <= 12 && second <= 31 ? dateKeys(first, second, year) : []),
    ];
    if (keys.length === 0 || !claim(match)) continue;
    figures.push({ kind: 'date', keys, text: match[0] });
  }
  for (const match of has.clock ? matchesOf(PATTERNS.clock, text) : []) {
    const minutes = clockMinutes(Number(match[1]), Number(match[2]), match[3]);
    if (minutes === null || !claim(match)) continue;
    const hour = Number(match[1]);
    const readings =
      !match[3] && hour >= 1 && hour <= 11 ? [minutes, minutes + 12 * 60] : [minutes];
    figures.push({ kind: 'time', minutes: readings, text: match[0] });
  }
  for (const match of has.meridiem ? matchesOf(PATTERNS.meridiem, text) : []) {
    const minutes = clockMinutes(Number(match[1]), Number(match[2] ?? 0), match[3]);
    if (minutes === null || !claim(match)) continue;
    figures.push({ kind: 'time', minutes: [minutes], text: match[0] });
  }
  for (const match of has.noon ? matchesOf(PATTERNS.noon, text) : []) {
    if (!claim(match)) continue;
    figures.push({ kind: 'time', minutes: [12 * 60], text: match[0] });
  }
  for (const pattern of has.stock ? [PATTERNS.stockAfter, PATTERNS.stockBefore] : []) {
    for (const match of matchesOf(pattern, text)) {
      if (!claim(match)) continue;
      figures.push({ kind: 'count', value: Number(match[1]), text: match[0] });
    }
  }
  return figures;
}

/**
 * Every match of a global pattern, in order. `matchAll` would copy the pattern on each call,
 * which costs more than most of these scans; the shared pattern's `lastIndex` is reset before
 * and after, and nothing runs between (no callbacks), so no other caller sees it move.
 */
function matchesOf(pattern: RegExp, text: string): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    found.push(match);
    if (match[0].length === 0) pattern.lastIndex++;
  }
  pattern.lastIndex = 0;
  return found;
}

/** `y-m-d` when the year is stated (so it must match too), else `m-d`. */
export function dateKeys(month: number, day: number, year?: number): string[] {
  if (month < 1 || month > 12 || day < 1 || day > 31) return [];
  return year === undefined ? [`${month}-${day}`] : [`${year}-${month}-${day}`];
}

/** "1,149.00", "1.149,00", "1 149", "3,50" → hundredths of the major unit. */
export function toHundredths(raw: string): number {
  const text = raw.replace(/[\u00a0\u202f ]/g, '');
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  let normalised: string;
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const thousands = decimal === ',' ? '.' : ',';
    normalised = text.split(thousands).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    // "3,50" is a decimal comma; "1,149" is a thousands separator.
    normalised = /,\d{1,2}$/.test(text) ? text.replace(',', '.') : text.split(',').join('');
  } else {
    normalised = /\.\d{3}(?:\.|$)/.test(text) ? text.split('.').join('') : text;
  }
  return Math.round(Number(normalised) * 100);
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1;
}

function normaliseYear(year: number): number {
  return year < 100 ? 2000 + year : year;
}

function clockMinutes(hour: number, minute: number, meridiem: string | undefined): number | null {
  if (minute > 59) return null;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    const pm = meridiem.toLowerCase().startsWith('p');
    return ((hour % 12) + (pm ? 12 : 0)) * 60 + minute;
  }
  if (hour > 24) return null;
  return (hour % 24) * 60 + minute;
}
