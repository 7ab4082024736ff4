import { describe, expect, it } from 'vitest';
import { detectPii } from '../../../src/models/pii/detect-pii.js';
import { CHECKSUM_RECOGNISERS, buildPiiEvalSet } from './pii-eval-set.js';
import { countDigitStringFalsePositives } from './random-digit-strings.js';
import { scorePii } from './score-pii.js';

describe('PII recognisers on the labelled synthetic set', () => {
  const examples = buildPiiEvalSet(100);
  const score = scorePii(examples);

  it('covers every recogniser in several languages, with hard negatives', () => {
    const languages = new Set(examples.map((example) => example.language));
    expect([...languages].sort()).toEqual(['de', 'en', 'es', 'fr', 'hi', 'it', 'th']);
    expect(Object.keys(score.byRecogniser).sort()).toEqual([
      'aadhaar',
      'address',
      'card',
      'codice-fiscale',
      'email',
      'iban',
      'name',
      'phone',
      'postcode',
      'spanish-id',
      'thai-id',
    ]);
    expect(score.negatives).toBeGreaterThanOrEqual(3000);
  });

  it.each(CHECKSUM_RECOGNISERS)('finds %s with recall ≥ 0.99', (recogniser) => {
    expect(score.byRecogniser[recogniser]!.expected).toBeGreaterThanOrEqual(200);
    expect(score.byRecogniser[recogniser]!.recall).toBeGreaterThanOrEqual(0.99);
  });

  it('finds the shape-only types (e-mail, phone, address, postcode, name) with recall ≥ 0.95', () => {
    for (const recogniser of ['email', 'phone', 'address', 'postcode', 'name']) {
      expect(score.byRecogniser[recogniser]!.recall, recogniser).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('leaves timestamps, order numbers, SKUs and prices alone (≤ 0.1% of hard negatives)', () => {
    expect(score.negativesWithFindings / score.negatives).toBeLessThanOrEqual(0.001);
    expect(score.falsePositives).toBeLessThanOrEqual(3);
  });

  it('flags at most 0.1% of random digit strings (100k here; 1M in the benchmark)', () => {
    const result = countDigitStringFalsePositives(100_000);
    expect(result.withFindings / result.strings).toBeLessThanOrEqual(0.001);
  });
});

describe('recogniser edge cases', () => {
  const types = (text: string, context = {}) =>
    detectPii(text, context).map((finding) => [
      finding.recogniser,
      text.slice(finding.start, finding.end),
    ]);

  it('knows the published test values', () => {
    expect(types('card 4111 1111 1111 1111')).toEqual([['card-grouped', '4111 1111 1111 1111']]);
    expect(types('Mastercard 2-series 2223 0031 2200 3222')).toEqual([
      ['card-grouped', '2223 0031 2200 3222'],
    ]);
    expect(types('amex 3782 822463 10005')).toEqual([['card-grouped', '3782 822463 10005']]);
    expect(types('IBAN GB82 WEST 1234 5698 7654 32.')).toEqual([
      ['iban', 'GB82 WEST 1234 5698 7654 32'],
    ]);
    expect(types('DE89370400440532013000')).toEqual([['iban', 'DE89370400440532013000']]);
    expect(types('DNI 12345678Z, NIE X1234567L')).toEqual([
      ['spanish-id', '12345678Z'],
      ['spanish-id', 'X1234567L'],
    ]);
    expect(types('CF RSSMRA85T10A562S')).toEqual([['codice-fiscale', 'RSSMRA85T10A562S']]);
  });

  it('rejects look-alikes whose check digit is wrong', () => {
    expect(types('card 4111 1111 1111 1112')).toEqual([]);
    expect(types('IBAN GB83 WEST 1234 5698 7654 32')).toEqual([]);
    expect(types('DNI 12345678A')).toEqual([]);
    expect(types('CF RSSMRA85T10A562T')).toEqual([]);
  });

  it('needs a card word for an unformatted card number', () => {
    expect(types('order 4111111111111111')).toEqual([]);
    expect(types('my visa is 4111111111111111')).toEqual([['card-in-context', '4111111111111111']]);
  });

  it('reads national phone numbers with the business country, international ones without', () => {
    expect(types('ring 020 7946 0958 tomorrow', { defaultCountry: 'GB' })).toEqual([
      ['phone-national', '020 7946 0958'],
    ]);
    expect(types('ring 020 7946 0958 tomorrow')).toEqual([]);
    expect(types('WhatsApp +34 612 34 56 78')).toEqual([
      ['phone-international', '+34 612 34 56 78'],
    ]);
    expect(types('at 2025-03-14 10:30 please', { defaultCountry: 'GB' })).toEqual([]);
  });

  it("finds the contact's known names in any case, whole words only", () => {
    expect(types('hola soy maría garcía', { knownNames: ['María García'] })).toEqual([
      ['known-name', 'maría garcía'],
    ]);
    expect(types('Marianne is not María', { knownNames: ['María'] })).toEqual([
      ['known-name', 'María'],
    ]);
  });
});
