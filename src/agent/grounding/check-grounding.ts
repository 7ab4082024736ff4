import { extractFigures, type Figure } from './figures.js';
import type { GroundingFacts } from './grounding-facts.js';

export interface GroundingViolation {
  kind: Figure['kind'];
  /** The figure as the reply wrote it. */
  text: string;
}

/**
 * Promise 1: every amount, stock count, date and time the reply states must be among `facts`
 * (this turn's tool results and Parley's own trusted context). Returns what is not.
 */
export function checkGrounding(reply: string, facts: GroundingFacts): GroundingViolation[] {
  const violations: GroundingViolation[] = [];
  for (const figure of extractFigures(reply)) {
    if (!isGrounded(figure, facts)) violations.push({ kind: figure.kind, text: figure.text });
  }
  return violations;
}

function isGrounded(figure: Figure, facts: GroundingFacts): boolean {
  switch (figure.kind) {
    case 'money':
      return facts.money.has(figure.hundredths);
    case 'count':
      return facts.counts.has(figure.value);
    case 'date':
      return figure.keys.some((key) => facts.dates.has(key));
    case 'time':
      return figure.minutes.some((minutes) => facts.times.has(minutes));
  }
}
