import { describe, expect, it } from 'vitest';
import type { LeadSettings } from '../../src/core/leads.js';
import { csvCell } from '../../src/tools/leads/leads-csv.js';
import { validateLeadAnswers } from '../../src/tools/leads/validate-lead-answers.js';
import { missingQuestions, scoreLead, stageForScore } from '../../src/tools/leads/score-lead.js';

const settings: LeadSettings = {
  purpose: '',
  defaultCountry: null,
  questions: [
    {
      id: 'cake',
      prompt: 'Which cake?',
      type: 'choice',
      required: true,
      choices: ['Wedding', 'Birthday'],
      min: null,
      max: null,
    },
    {
      id: 'guests',
      prompt: 'How many guests?',
      type: 'number',
      required: true,
      choices: [],
      min: 1,
      max: 500,
    },
    {
      id: 'notes',
      prompt: 'Anything else?',
      type: 'text',
      required: false,
      choices: [],
      min: null,
      max: null,
    },
    {
      id: 'tasting',
      prompt: 'Tasting?',
      type: 'boolean',
      required: false,
      choices: [],
      min: null,
      max: null,
    },
  ],
  scoring: [
    { question: 'cake', points: 30, condition: { kind: 'equals', value: 'wedding' } },
    { question: 'guests', points: 20, condition: { kind: 'atLeast', value: 100 } },
    { question: 'guests', points: -10, condition: { kind: 'atMost', value: 10 } },
    { question: 'notes', points: 15, condition: { kind: 'contains', value: 'Gluten' } },
    { question: 'tasting', points: 5, condition: { kind: 'equals', value: true } },
    { question: 'notes', points: 1, condition: { kind: 'answered' } },
  ],
  // Listed out of threshold order on purpose: thresholds decide, not the list's order.
  stages: [
    { name: 'hot', minScore: 60 },
    { name: 'cold', minScore: 0 },
    { name: 'warm', minScore: 30 },
    { name: 'won', minScore: null },
  ],
  webhook: null,
};

describe('lead scoring', () => {
  it.each([
    [{}, 0, 'cold'],
    [{ cake: 'Wedding' }, 30, 'warm'],
    [{ cake: 'Birthday', guests: 5 }, -10, 'cold'],
    [{ cake: 'Wedding', guests: 100 }, 50, 'warm'],
    [{ cake: 'Wedding', guests: 150, notes: 'two GLUTEN-free tiers' }, 66, 'hot'],
    [{ tasting: false, notes: 'none' }, 1, 'cold'],
    [{ tasting: true }, 5, 'cold'],
  ])('%j scores %i and reaches %s', (answers, score, stage) => {
    expect(scoreLead(settings, answers)).toEqual({ score, stage });
  });

  it('never reaches a stage without a threshold by score alone', () => {
    expect(stageForScore(settings, 1_000_000)).toBe('hot');
    expect(stageForScore(settings, -1_000)).toBe('cold');
  });

  it('lists the required questions still open, in the business order', () => {
    expect(missingQuestions(settings, { notes: 'x' })).toEqual([
      { id: 'cake', prompt: 'Which cake?' },
      { id: 'guests', prompt: 'How many guests?' },
    ]);
    expect(missingQuestions(settings, { guests: 3, cake: 'Wedding' })).toEqual([]);
  });
});

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a, b', '"a, b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+2', "'=1+2"],
    ['+44 7911 123456', "'+44 7911 123456"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
    [42, '42'],
    [-20, '-20'],
    [true, 'true'],
    [null, ''],
  ])('%j → %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('answer validation', () => {
  it('normalises numbers people write with thousands separators, and refuses the rest', () => {
    expect(validateLeadAnswers(settings, { guests: '1,200' })).toEqual({
      ok: false,
      problems: [
        'guests: 1200 is out of range; it must be from 1 to 500. Check the figure with the customer.',
      ],
    });
    expect(
      validateLeadAnswers(settings, { guests: ' 120 ', tasting: 'Yes', cake: 'wedding' }),
    ).toEqual({
      ok: true,
      answers: { guests: 120, tasting: true, cake: 'Wedding' },
    });
    expect(validateLeadAnswers(settings, { guests: '120 people' }).ok).toBe(false);
    expect(validateLeadAnswers(settings, { guests: Number.NaN }).ok).toBe(false);
  });

  it('answers a flood of junk keys with a short refusal', () => {
    const junk = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`k${index}`, 'x']));
    const result = validateLeadAnswers(settings, junk);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(9);
    expect(problems.at(-1)).toBe('…and 492 more.');
  });
});
