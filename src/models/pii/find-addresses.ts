import { POSTCODE_WORDS, saidBefore } from './context-keywords.js';
import type { PiiFinding } from './pii-types.js';
import { forEachVerifiedMatch } from './scan-then-verify.js';

// Postcodes whose shape is distinctive enough on its own.
// Each is an ASCII body between Unicode lookarounds: the body alone, without `u`, finds the
// candidates cheaply and the exact pattern is tried only there (see scan-then-verify.ts).
const UK_POSTCODE_BODY = '[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[ABD-HJLNP-UW-Z]{2}';
const CANADA_POSTCODE_BODY = '[ABCEGHJ-NPRSTVXY]\\d[A-Z] ?\\d[A-Z]\\d';
const US_STATE_ZIP_BODY =
  '(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),? \\d{5}(?:-\\d{4})?';
const POSTCODES: Array<{ recogniser: string; candidates: RegExp; exact: RegExp }> = [
  {
    recogniser: 'postcode-uk',
    candidates: new RegExp(UK_POSTCODE_BODY, 'g'),
    exact: new RegExp(`(?<![\\p{L}\\p{N}])${UK_POSTCODE_BODY}(?![\\p{L}\\p{N}])`, 'uy'),
  },
  {
    recogniser: 'postcode-ca',
    candidates: new RegExp(CANADA_POSTCODE_BODY, 'g'),
    exact: new RegExp(`(?<![\\p{L}\\p{N}])${CANADA_POSTCODE_BODY}(?![\\p{L}\\p{N}])`, 'uy'),
  },
  {
    recogniser: 'postcode-us',
    candidates: new RegExp(US_STATE_ZIP_BODY, 'g'),
    exact: new RegExp(`(?<![\\p{L}])${US_STATE_ZIP_BODY}(?!\\d)`, 'uy'),
  },
];
// Five- or six-digit postcodes (DE, FR, ES, IT, TH, IN…) only after a word that names them.
const NUMERIC_POSTCODE = /(?<!\d)\d{5,6}(?!\d)/g;

// Street addresses: number first (English, French) or street word first (Spanish, Italian,
// German, Portuguese, Thai), with a house number.
const NUMBER_FIRST =
  /(?<![\p{L}\p{N}])\d{1,5}[a-zA-Z]?,? (?:[\p{Lu}][\p{L}'.-]*\s){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Square|Sq|Close|Crescent|Terrace|Gardens|Parkway|Highway)\b\.?/gu;
const FRENCH =
  /(?<![\p{L}\p{N}])\d{1,4}(?: ?(?:bis|ter))?,? (?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|route) (?:d[eu']s? ?|de la |l')?[\p{L}'-]+(?: [\p{L}'-]+){0,3}/giu;
const STREET_FIRST =
  /(?<![\p{L}])(?:Calle|C\/|Avenida|Avda\.?|Av\.|Plaza|Paseo|Camino|Carrer|Via|Viale|Piazza|Corso|Vicolo|Rua|Travessa|Largo)\s+(?:[\p{L}'.-]+\s){0,4}?[\p{L}'.-]+,?\s+(?:n[º°o.]\s?)?\d{1,5}[a-zA-Z]?(?!\d)/gu;
const GERMAN =
  /(?<![\p{L}])[\p{Lu}][\p{L}-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm)\s+\d{1,4}[a-zA-Z]?(?!\d)/gu;
const THAI = /\d{1,5}(?:\/\d{1,4})?\s*(?:หมู่\s*\d+\s*)?(?:ถนน|ถ\.|ซอย|ซ\.)\s*[\u0E00-\u0E7F\w]+/gu;

// Cheap tests on the lower-cased text that say whether a pattern can match at all.
const ENGLISH_STREET_WORD =
  /\b(street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|square|sq|close|crescent|terrace|gardens|parkway|highway)\b/;
const FRENCH_STREET_WORD = /(rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|route) /;
const STREET_FIRST_WORD =
  /(calle|c\/|avenida|avda|av\.|plaza|paseo|camino|carrer|via|viale|piazza|corso|vicolo|rua|travessa|largo)\s/;
const GERMAN_STREET_WORD = /(straße|strasse|str\.|weg|platz|allee|gasse|ring|damm)\s+\d/;
const THAI_STREET_WORD = /(ถนน|ถ\.|ซอย|ซ\.)/;

function collect(
  text: string,
  pattern: RegExp,
  type: 'address' | 'postcode',
  recogniser: string,
  out: PiiFinding[],
): void {
  for (const match of text.matchAll(pattern)) {
    out.push({ type, start: match.index, end: match.index + match[0].length, recogniser });
  }
}

/**
 * Street addresses and postcodes where their shape gives them away. These have no checksum: the
 * patterns favour precision (a capitalised street name plus a street word and a house number).
 */
export function findAddresses(text: string, lowerText: string, out: PiiFinding[]): void {
  for (const { recogniser, candidates, exact } of POSTCODES) {
    forEachVerifiedMatch(text, candidates, exact, (value, index) => {
      out.push({ type: 'postcode', start: index, end: index + value.length, recogniser });
    });
  }
  for (const match of text.matchAll(NUMERIC_POSTCODE)) {
    if (saidBefore(lowerText, match.index, POSTCODE_WORDS, 24)) {
      out.push({
        type: 'postcode',
        start: match.index,
        end: match.index + match[0].length,
        recogniser: 'postcode-numeric',
      });
    }
  }
  if (ENGLISH_STREET_WORD.test(lowerText))
    collect(text, NUMBER_FIRST, 'address', 'address-en', out);
  if (FRENCH_STREET_WORD.test(lowerText)) collect(text, FRENCH, 'address', 'address-fr', out);
  if (STREET_FIRST_WORD.test(lowerText)) {
    collect(text, STREET_FIRST, 'address', 'address-street-first', out);
  }
  if (GERMAN_STREET_WORD.test(lowerText)) collect(text, GERMAN, 'address', 'address-de', out);
  if (THAI_STREET_WORD.test(text)) collect(text, THAI, 'address', 'address-th', out);
}
