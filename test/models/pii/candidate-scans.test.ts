import { describe, expect, it } from 'vitest';
import { isCodiceFiscaleValid } from '../../../src/models/pii/checksums.js';
import { detectPii } from '../../../src/models/pii/detect-pii.js';
import { mentionsHealth } from '../../../src/models/pii/health-terms.js';
import { forEachVerifiedMatch } from '../../../src/models/pii/scan-then-verify.js';
import { seededRandom } from '../support/seeded-random.js';

// The recognisers look for candidates with plain (non-Unicode) scans and apply the exact Unicode
// patterns only there; these cases pin the word boundaries that must still hold in every script.

function codiceFiscale(body: string): string {
  for (let code = 65; code <= 90; code++) {
    const candidate = body + String.fromCharCode(code);
    if (isCodiceFiscaleValid(candidate)) return candidate;
  }
  throw new Error('unreachable: one check letter always fits');
}

function found(text: string): string[] {
  return detectPii(text, { defaultCountry: 'ES' }).map(
    (finding) => `${finding.recogniser}:${text.slice(finding.start, finding.end)}`,
  );
}

describe('candidate scans keep the exact patterns’ boundaries', () => {
  const cf = codiceFiscale('RSSMRA85T10A562');

  it('finds a codice fiscale only as a whole word, whatever the neighbouring script', () => {
    expect(found(`CF: ${cf}.`)).toEqual([`codice-fiscale:${cf}`]);
    expect(found(`😀${cf}😀`)).toEqual([`codice-fiscale:${cf}`]);
    expect(found(`𝐀${cf}`)).toEqual([]); // an astral letter before it: part of a longer word
    expect(found(`é${cf}`)).toEqual([]);
    expect(found(`${cf}٣`)).toEqual([]); // an Arabic-Indic digit after it
    expect(found(`${cf}X`)).toEqual([]); // 17 characters
  });

  it('finds DNI and NIE numbers only where their digits stand alone', () => {
    expect(found('DNI 12345678Z, NIE X1234567L')).toEqual([
      'spanish-id:12345678Z',
      'spanish-id:X1234567L',
    ]);
    expect(found('DNI 12345678-z')).toEqual(['spanish-id:12345678-z']);
    expect(found('aX1234567L é12345678Z 912345678Z 𝐀12345678Z')).toEqual([]);
    expect(found('😀12345678Z')).toEqual(['spanish-id:12345678Z']);
  });

  it('tells health words from longer words in any script', () => {
    expect(mentionsHealth('my doctor😀 said')).toBe(true);
    expect(mentionsHealth('la receta médica')).toBe(true);
    expect(mentionsHealth('doctoré')).toBe(false);
    expect(mentionsHealth('𝐀doctor')).toBe(false);
    expect(mentionsHealth('undiagnosed')).toBe(false);
    expect(mentionsHealth('diagnosed_1 yesterday')).toBe(true);
  });

  it('visits the same matches as matchAll on the exact pattern', () => {
    const body = '[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[ABD-HJLNP-UW-Z]{2}';
    const exact = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'uy');
    const global = new RegExp(exact.source, 'gu');
    const pieces = ['SW1A 1AA', 'M1 1AE', 'é', '𝐀', '😀', ' ', '1', 'B', 'x'];
    const random = seededRandom(3);
    for (let round = 0; round < 2_000; round++) {
      let text = '';
      for (let piece = 0; piece < 6; piece++) {
        text += pieces[Math.floor(random() * pieces.length)]!;
      }
      const visited: Array<[string, number]> = [];
      forEachVerifiedMatch(text, new RegExp(body, 'g'), exact, (value, index) =>
        visited.push([value, index]),
      );
      expect(visited).toEqual([...text.matchAll(global)].map((match) => [match[0], match.index]));
    }
  });
});
