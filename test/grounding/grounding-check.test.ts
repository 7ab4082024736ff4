import { describe, expect, it } from 'vitest';
import { checkGrounding } from '../../src/agent/grounding/check-grounding.js';
import { checkLinks } from '../../src/agent/grounding/check-links.js';
import { extractFigures } from '../../src/agent/grounding/figures.js';
import {
  addFactsFromText,
  addFactsFromValue,
  emptyFacts,
} from '../../src/agent/grounding/grounding-facts.js';
import { LABELLED_REPLIES, type LabelledReply } from './labelled-replies.js';

const OPTIONS = { currency: 'GBP', timeZone: 'Europe/London' };
const ALLOWED_HOSTS = ['northside-cycles.example', 'checkout.stripe.com'];

function flagged(item: LabelledReply): string[] {
  const facts = emptyFacts();
  for (const output of item.tools) addFactsFromValue(facts, output, OPTIONS);
  addFactsFromText(facts, item.customer, OPTIONS.timeZone);
  return [
    ...checkGrounding(item.reply, facts).map((violation) => violation.text),
    ...checkLinks(item.reply, ALLOWED_HOSTS).map((violation) => violation.text),
  ];
}

describe('grounding check on a labelled set of replies', () => {
  it('reports false alarms on correct replies and catches on planted errors', () => {
    const correct = LABELLED_REPLIES.filter((item) => item.grounded);
    const planted = LABELLED_REPLIES.filter((item) => !item.grounded);
    const falseAlarms = correct.filter((item) => flagged(item).length > 0);
    const caught = planted.filter((item) => flagged(item).length > 0);
    console.log(
      `grounding check: ${falseAlarms.length}/${correct.length} false alarms on correct replies, ${caught.length}/${planted.length} planted errors caught`,
    );
    expect(
      falseAlarms.map((item) => `${item.name}: ${flagged(item).join(', ')}`),
      'false alarms',
    ).toEqual([]);
    // Known miss, by design: grounding is per figure, not per claim. "Free over £40" passes when
    // £40 is in the tool results for something else (boxed delivery of bikes).
    expect(
      planted.filter((item) => !caught.includes(item)).map((item) => item.name),
      'missed planted errors',
    ).toEqual(['invented threshold']);
  });
});

describe('figure extraction', () => {
  it('normalises money in its common spellings to the same value', () => {
    const values = ['£1,149.00', '£1149', '1149 GBP', 'GBP 1,149', '1.149,00 €', '1149 pounds'].map(
      (text) => extractFigures(`It costs ${text}.`),
    );
    for (const figures of values) {
      expect(figures).toEqual([expect.objectContaining({ kind: 'money', hundredths: 114_900 })]);
    }
  });

  it('reads instants in tool results as the business’s local date and time', () => {
    const facts = emptyFacts();
    // 13:00 UTC on 1 July is 14:00 in London (BST).
    addFactsFromValue(facts, { start: '2026-07-01T13:00:00.000Z' }, OPTIONS);
    expect(checkGrounding('See you on 1 July at 14:00.', facts)).toEqual([]);
    expect(checkGrounding('See you on 1 July at 15:00.', facts)).toEqual([
      { kind: 'time', text: '15:00' },
    ]);
  });

  it('reads look-alike letters as their ASCII twins (long s, Kelvin sign)', () => {
    // A model writing "ſtock" or "K" still states a figure a customer reads as plain text.
    expect(extractFigures('Stock level of 9.')).toEqual([
      expect.objectContaining({ kind: 'count', value: 9 }),
    ]);
    expect(extractFigures('\u017ftock level of 9.')).toEqual([
      expect.objectContaining({ kind: 'count', value: 9 }),
    ]);
    expect(extractFigures('It costs 95 \u212ar.')).toEqual([
      expect.objectContaining({ kind: 'money', hundredths: 9_500 }),
    ]);
  });

  it('requires a stated year to match', () => {
    const facts = emptyFacts();
    addFactsFromValue(facts, { start: '2026-12-03T09:00:00Z' }, OPTIONS);
    expect(checkGrounding('On 3 December 2026.', facts)).toEqual([]);
    expect(checkGrounding('On 3 December 2027.', facts)).toHaveLength(1);
  });
});
