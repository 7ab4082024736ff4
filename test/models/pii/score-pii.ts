import { detectPii } from '../../../src/models/pii/detect-pii.js';
import type { LabelledExample } from './pii-eval-set.js';

export interface RecogniserScore {
  expected: number;
  found: number;
  recall: number;
}

export interface PiiScore {
  byRecogniser: Record<string, RecogniserScore>;
  /** Findings in hard negatives, and in positives beyond their labels. */
  falsePositives: number;
  negatives: number;
  negativesWithFindings: number;
  misses: Array<{ text: string; value: string }>;
}

/** A label counts as found when a finding of its type covers exactly its characters. */
export function scorePii(examples: readonly LabelledExample[]): PiiScore {
  const byRecogniser: Record<string, RecogniserScore> = {};
  const misses: PiiScore['misses'] = [];
  let falsePositives = 0;
  let negatives = 0;
  let negativesWithFindings = 0;
  for (const example of examples) {
    const findings = detectPii(example.text, {
      defaultCountry: example.defaultCountry,
      knownNames: example.knownNames,
    });
    if (example.negative) {
      negatives++;
      if (findings.length > 0) negativesWithFindings++;
      falsePositives += findings.length;
      continue;
    }
    const score = (byRecogniser[example.recogniser ?? 'unknown'] ??= {
      expected: 0,
      found: 0,
      recall: 0,
    });
    const matched = new Set<number>();
    for (const label of example.labels) {
      score.expected++;
      const start = example.text.indexOf(label.value);
      const index = findings.findIndex(
        (finding) =>
          finding.type === label.type &&
          finding.start === start &&
          finding.end === start + label.value.length,
      );
      if (index >= 0) {
        score.found++;
        matched.add(index);
      } else {
        misses.push({ text: example.text, value: label.value });
      }
    }
    falsePositives += findings.length - matched.size;
  }
  for (const score of Object.values(byRecogniser)) score.recall = score.found / score.expected;
  return { byRecogniser, falsePositives, negatives, negativesWithFindings, misses };
}
