import {
  isCodiceFiscaleValid,
  isSpanishIdValid,
  isThaiIdValid,
  isVerhoeffValid,
} from './checksums.js';
import { AADHAAR_WORDS, THAI_ID_WORDS, saidBefore } from './context-keywords.js';
import type { PiiFinding } from './pii-types.js';

// Thai citizen id, printed 1-2345-67890-12-3 (hyphens or spaces) or unbroken.
const THAI_GROUPED = /(?<![\d-])[1-8][ -]\d{4}[ -]\d{5}[ -]\d{2}[ -]\d(?![\d-])/g;
const THAI_BARE = /(?<!\d)[1-8]\d{12}(?!\d)/g;
// Spanish DNI (12345678Z) and NIE (X1234567L), optionally with a hyphen or space before the letter.
const SPANISH_BODY = '[XYZxyz]?\\d{7,8}[ -]?[A-Za-z]';
const SPANISH = new RegExp(`(?<![\\p{L}\\p{N}])${SPANISH_BODY}(?![\\p{L}\\p{N}])`, 'uy');
// Italian codice fiscale; digit positions may hold omocodia letters (LMNPQRSTUV).
const CODICE_FISCALE_BODY =
  '[A-Za-z]{6}[\\dLMNPQRSTUVlmnpqrstuv]{2}[ABCDEHLMPRSTabcdehlmprst][\\dLMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][\\dLMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]';
const CODICE_FISCALE = new RegExp(
  `(?<![\\p{L}\\p{N}])${CODICE_FISCALE_BODY}(?![\\p{L}\\p{N}])`,
  'uy',
);
// Aadhaar: 12 digits, never starting with 0 or 1, printed 1234 5678 9012 or unbroken.
const AADHAAR_GROUPED = /(?<!\d[ -]?)[2-9]\d{3}[ -]\d{4}[ -]\d{4}(?![ -]?\d)/g;
const AADHAAR_BARE = /(?<!\d)[2-9]\d{11}(?!\d)/g;

function push(out: PiiFinding[], start: number, length: number, recogniser: string): void {
  out.push({ type: 'national_id', start, end: start + length, recogniser });
}

/**
 * National identity numbers with check digits: Thai citizen id (mod 11), Spanish DNI/NIE (mod 23
 * letter), Italian codice fiscale (check letter), Indian Aadhaar (Verhoeff). Letter-checked ids
 * need no context; all-digit ids need their printed grouping or a naming word before them.
 */
export function findNationalIds(text: string, lowerText: string, out: PiiFinding[]): void {
  for (const match of text.matchAll(THAI_GROUPED)) {
    if (isThaiIdValid(match[0].replace(/[ -]/g, '')))
      push(out, match.index, match[0].length, 'thai-id');
  }
  for (const match of text.matchAll(THAI_BARE)) {
    if (isThaiIdValid(match[0]) && saidBefore(lowerText, match.index, THAI_ID_WORDS)) {
      push(out, match.index, match[0].length, 'thai-id');
    }
  }
  findSpanishIds(text, out);
  findCodiciFiscali(text, out);
  for (const match of text.matchAll(AADHAAR_GROUPED)) {
    if (isVerhoeffValid(match[0].replace(/[ -]/g, ''))) {
      push(out, match.index, match[0].length, 'aadhaar');
    }
  }
  for (const match of text.matchAll(AADHAAR_BARE)) {
    if (isVerhoeffValid(match[0]) && saidBefore(lowerText, match.index, AADHAAR_WORDS)) {
      push(out, match.index, match[0].length, 'aadhaar');
    }
  }
}

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * A DNI/NIE's digits are a run of exactly 7 or 8 ASCII digits (no digit before, and after them
 * only an optional separator and the letter), so the pattern is tried only where such a run
 * starts: at its first digit, or at the X/Y/Z just before it.
 */
function findSpanishIds(text: string, out: PiiFinding[]): void {
  let searchFrom = 0;
  let runStart = -1;
  for (let index = 0; index <= text.length; index++) {
    if (index < text.length && isAsciiDigit(text.charCodeAt(index))) {
      if (runStart === -1) runStart = index;
      continue;
    }
    const runLength = runStart === -1 ? 0 : index - runStart;
    if (runLength === 7 || runLength === 8) {
      const prefix = runStart > 0 && 'XYZxyz'.includes(text[runStart - 1]!) ? 1 : 0;
      const start = runStart - prefix;
      if (start >= searchFrom) {
        SPANISH.lastIndex = start;
        const match = SPANISH.exec(text);
        if (match) {
          if (isSpanishIdValid(match[0].replace(/[ -]/g, ''))) {
            push(out, start, match[0].length, 'spanish-id');
          }
          searchFrom = start + match[0].length;
        }
      }
    }
    runStart = -1;
  }
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * A codice fiscale can only be a run of exactly 16 ASCII letters and digits with no letter or
 * digit on either side, so one pass over the text finds the runs and the pattern (with its
 * Unicode lookarounds) is tried only at their start; a regex would try at every letter of prose.
 */
function findCodiciFiscali(text: string, out: PiiFinding[]): void {
  let runStart = -1;
  for (let index = 0; index <= text.length; index++) {
    if (index < text.length && isAsciiAlphanumeric(text.charCodeAt(index))) {
      if (runStart === -1) runStart = index;
      continue;
    }
    if (runStart !== -1 && index - runStart === 16) {
      CODICE_FISCALE.lastIndex = runStart;
      const match = CODICE_FISCALE.exec(text);
      if (match && isCodiceFiscaleValid(match[0])) push(out, runStart, 16, 'codice-fiscale');
    }
    runStart = -1;
  }
}
