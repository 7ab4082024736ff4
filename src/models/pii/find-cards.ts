import { isLuhnValid } from './checksums.js';
import { CARD_WORDS, saidBefore } from './context-keywords.js';
import type { PiiFinding } from './pii-types.js';

// 12–19 digits, optionally grouped by single spaces or hyphens.
const CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){11,18}(?![\d])/g;

// Issuer prefixes (IIN ranges) with the lengths each scheme issues.
const SCHEMES: Array<{ prefix: RegExp; lengths: readonly number[] }> = [
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/, lengths: [16] }, // Mastercard, incl. 2-series
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(6011|65|64[4-9]|622)/, lengths: [16, 17, 18, 19] }, // Discover
  { prefix: /^35(2[89]|[3-8]\d)/, lengths: [16, 17, 18, 19] }, // JCB
  { prefix: /^3(0[0-5]|09|[689])/, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { prefix: /^62/, lengths: [16, 17, 18, 19] }, // UnionPay
  { prefix: /^220[0-4]/, lengths: [16, 17, 18, 19] }, // Mir
  { prefix: /^(5[06-9]|6\d)/, lengths: [12, 13, 14, 15, 16, 17, 18, 19] }, // Maestro
  { prefix: /^(60|65|81|82|508)/, lengths: [16] }, // RuPay
];

function isKnownScheme(digits: string): boolean {
  return SCHEMES.some(
    (scheme) => scheme.lengths.includes(digits.length) && scheme.prefix.test(digits),
  );
}

/** Grouped as cards are printed: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4. */
function isCardGrouping(candidate: string): boolean {
  const groups = candidate.split(/[ -]/).map((group) => group.length);
  if (groups.length === 1) return false;
  const shape = groups.join('-');
  if (shape === '4-6-5' || shape === '4-6-4') return true;
  return groups.slice(0, -1).every((length) => length === 4) && (groups.at(-1) ?? 0) <= 4;
}

/**
 * Payment card numbers: Luhn-valid, 12–19 digits, with a known issuer prefix and length. Printed
 * grouping is enough; an unformatted run also needs a card word before it, because one random
 * digit string in ten passes Luhn (order numbers would otherwise become "cards").
 */
export function findCards(text: string, lowerText: string, out: PiiFinding[]): void {
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = match[0];
    const digits = candidate.replace(/[ -]/g, '');
    if (digits.length < 12 || digits.length > 19) continue;
    if (!isLuhnValid(digits) || !isKnownScheme(digits)) continue;
    const printed = isCardGrouping(candidate);
    const unformatted = candidate.length === digits.length;
    // 4-4-4 is also how Aadhaar numbers are printed: 12-digit (Maestro) cards need a card word,
    // and so does anything separated otherwise than cards are printed (a Thai id is 1-4-5-2-1).
    const grouped = printed && digits.length > 12;
    if (!grouped && !((printed || unformatted) && saidBefore(lowerText, match.index, CARD_WORDS))) {
      continue;
    }
    out.push({
      type: 'card',
      start: match.index,
      end: match.index + candidate.length,
      recogniser: grouped ? 'card-grouped' : 'card-in-context',
    });
  }
}
