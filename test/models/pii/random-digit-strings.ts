import { detectPii } from '../../../src/models/pii/detect-pii.js';
import { randomDigits, seededRandom } from '../support/seeded-random.js';

export interface DigitStringResult {
  strings: number;
  withFindings: number;
  byLength: Record<number, { strings: number; withFindings: number }>;
}

/**
 * Runs the recognisers over `count` random digit strings (lengths 4–20, uniform), alone and as a
 * customer would send them ("my order 1234…"), and counts strings with any finding.
 */
export function countDigitStringFalsePositives(count: number, seed = 11): DigitStringResult {
  const random = seededRandom(seed);
  const byLength: DigitStringResult['byLength'] = {};
  let withFindings = 0;
  for (let index = 0; index < count; index++) {
    const length = 4 + Math.floor(random() * 17);
    const digits = randomDigits(random, length);
    const text = index % 2 === 0 ? digits : `my order ${digits} has not arrived`;
    const found = detectPii(text, { defaultCountry: 'GB' }).length > 0;
    const bucket = (byLength[length] ??= { strings: 0, withFindings: 0 });
    bucket.strings++;
    if (found) {
      bucket.withFindings++;
      withFindings++;
    }
  }
  return { strings: count, withFindings, byLength };
}
