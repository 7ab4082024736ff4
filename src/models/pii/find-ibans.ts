import { isIbanChecksumValid } from './checksums.js';
import type { PiiFinding } from './pii-types.js';
import { forEachVerifiedMatch } from './scan-then-verify.js';

// IBAN length per country (ISO 13616 registry); a known length plus mod-97 leaves ~1% of
// well-shaped strings, and the shape itself (country + 2 digits + 11–30 characters) is rare.
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

const SHAPE = '[A-Za-z]{2}\\d{2}(?:[ ]?[A-Za-z0-9]){11,30}';
const EXACT = new RegExp(`(?<![\\p{L}\\p{N}])${SHAPE}(?![\\p{L}\\p{N}])`, 'uy');
// The shape is ASCII: without `u` and the Unicode lookarounds it finds candidates cheaply.
const CANDIDATES = new RegExp(SHAPE, 'g');

/** IBANs, printed in groups of four or unbroken, checked by length and mod 97. */
export function findIbans(text: string, out: PiiFinding[]): void {
  forEachVerifiedMatch(text, CANDIDATES, EXACT, (value, index) => {
    let candidate = value;
    // The lazy tail may have swallowed a following word ("DE89 … 00 please"): trim to the length.
    const country = candidate.slice(0, 2).toUpperCase();
    const length = IBAN_LENGTHS[country];
    if (length === undefined) return;
    let compact = '';
    let end = 0;
    for (; end < candidate.length && compact.length < length; end++) {
      const character = candidate[end]!;
      if (character !== ' ') compact += character.toUpperCase();
    }
    if (compact.length !== length) return;
    candidate = candidate.slice(0, end);
    if (!isIbanChecksumValid(compact)) return;
    out.push({ type: 'iban', start: index, end: index + candidate.length, recogniser: 'iban' });
  });
}
