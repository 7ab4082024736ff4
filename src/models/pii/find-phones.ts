import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { PHONE_WORDS, saidBefore } from './context-keywords.js';
import type { PiiFinding } from './pii-types.js';
import { forEachVerifiedMatch } from './scan-then-verify.js';

// Something that could be a phone number: an optional + or 00, then digits with the separators
// people type (spaces, dots, hyphens, slashes, parentheses). libphonenumber decides.
const SHAPE = '(?:\\+|00)?\\(?\\d[\\d ().\\-/]{5,20}\\d';
const EXACT = new RegExp(`(?<![\\p{L}\\p{N}+])${SHAPE}(?!\\p{N})`, 'uy');
// The shape is ASCII: without `u` and the Unicode lookarounds it finds candidates cheaply.
const CANDIDATES = new RegExp(SHAPE, 'g');
// Dates and times are the commonest look-alikes: 2024-03-15, 15/03/2024, 14:30, 2024-03-15 14.
const DATE_LIKE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(\s|$)/;

/**
 * Phone numbers, validated against libphonenumber's full metadata (number plan, length). An
 * international number (+ or 00) needs nothing else; a national number needs the business's
 * country and either separators as people write them or a phone word before it: an unbroken run of
 * digits is far more often an order number than a phone.
 */
export function findPhones(
  text: string,
  lowerText: string,
  defaultCountry: string | undefined,
  out: PiiFinding[],
): void {
  forEachVerifiedMatch(text, CANDIDATES, EXACT, (value, start) => {
    const candidate = value.replace(/[\s.\-/(]+$/, '');
    // No numbering plan has numbers this short or long: skip libphonenumber's parse.
    const digitCount = countDigits(candidate);
    if (digitCount < 7 || digitCount > 15) return;
    const end = start + candidate.length;
    // Already a card, IBAN or id (found first, with a checksum): parsing it again costs ~30 µs.
    if (out.some((finding) => finding.start < end && finding.end > start)) return;
    if (!candidate.startsWith('+') && !candidate.startsWith('00') && !defaultCountry) return;
    if (DATE_LIKE.test(candidate)) return;
    const international = candidate.startsWith('+') || candidate.startsWith('00');
    // Only `+` speaks for itself: order numbers start with 00 as often as any other pair.
    if (!candidate.startsWith('+')) {
      const formatted = /[\s.\-/()]/.test(candidate);
      if (!formatted && !saidBefore(lowerText, start, PHONE_WORDS)) return;
    }
    let valid = false;
    if (international) {
      const normalised = candidate.startsWith('00') ? `+${candidate.slice(2)}` : candidate;
      valid = parsePhoneNumberFromString(normalised)?.isValid() ?? false;
    } else if (defaultCountry) {
      valid =
        parsePhoneNumberFromString(candidate, defaultCountry as CountryCode)?.isValid() ?? false;
    }
    if (!valid) return;
    out.push({
      type: 'phone',
      start,
      end,
      recogniser: international ? 'phone-international' : 'phone-national',
    });
  });
}

function countDigits(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) count++;
  }
  return count;
}
