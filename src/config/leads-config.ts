import { getCountries, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import {
  LEAD_QUESTION_TYPES,
  type LeadCondition,
  type LeadSettings,
  type LeadStage,
} from '../core/leads.js';
import { obviouslyPrivateHost } from '../net/public-address.js';
import { describeValue } from './describe-value.js';
import { flag, httpUrl, optionalText, requireUnique, requiredText } from './field-schemas.js';

// The `leads:` section of the business file: the qualification questions the agent asks, how
// answers score, which stage a score reaches, and the CRM webhook leads are pushed to.

const QUESTION_ID = /^[a-z][a-z0-9_]*$/;

const questionId = (what: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : `${describeValue(issue.input)} is not a valid ${what}. Use lower-case letters, digits and underscores, starting with a letter, such as budget or riding_type.`,
    })
    .trim()
    .min(1)
    .max(40, { error: `Keep the ${what} to 40 characters or fewer.` })
    .regex(QUESTION_ID, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a valid ${what}. Use lower-case letters, digits and underscores, starting with a letter, such as budget or riding_type.`,
    });

const finiteNumber = z.number({
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `${describeValue(issue.input)} is not a number. Write a number without quotes or units, such as 1500.`,
});

const points = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? undefined
        : `${describeValue(issue.input)} is not a number of points. Use a whole number from -1000 to 1000.`,
  })
  .int({ error: 'Points must be a whole number from -1000 to 1000.' })
  .min(-1000, { error: 'Points must be a whole number from -1000 to 1000.' })
  .max(1000, { error: 'Points must be a whole number from -1000 to 1000.' });

const questionType = z.enum(LEAD_QUESTION_TYPES, {
  error: (issue) =>
    issue.input === undefined
      ? undefined
      : `${describeValue(issue.input)} is not a question type. Use text, number, choice, email, phone or boolean.`,
});

const question = z.strictObject({
  id: questionId('question id'),
  prompt: requiredText,
  type: questionType,
  required: flag.default(false),
  choices: z.array(requiredText).optional(),
  min: finiteNumber.optional(),
  max: finiteNumber.optional(),
});

const scoringRule = z.strictObject({
  question: questionId('question id'),
  points,
  equals: z.union([z.string().trim().min(1), z.number(), z.boolean()]).optional(),
  atLeast: finiteNumber.optional(),
  atMost: finiteNumber.optional(),
  contains: requiredText.optional(),
  answered: z.literal(true, { error: 'Write answered: true (or leave it out).' }).optional(),
});

const stage = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, {
      error: (issue) =>
        `${describeValue(issue.input)} is not a valid stage name. Use up to 40 lower-case letters, digits, hyphens and underscores, such as qualified.`,
    }),
  minScore: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : `${describeValue(issue.input)} is not a score. Use a whole number, such as 40.`,
    })
    .int({ error: 'Use a whole number of points, such as 40.' })
    .optional(),
});

const webhook = z
  .strictObject({
    url: httpUrl('https://crm.example/hooks/parley'),
    secret: z
      .string({
        error: (issue) =>
          issue.input === undefined
            ? undefined
            : 'Write the webhook secret as text, best from the environment: secret: ${CRM_WEBHOOK_SECRET}.',
      })
      .min(16, {
        error:
          'The webhook secret is too short to sign with. Use at least 16 random characters, from the environment: secret: ${CRM_WEBHOOK_SECRET}.',
      }),
    allowPrivateNetwork: flag.default(false),
  })
  .superRefine((hook, context) => {
    // The obvious cases fail at start-up; a name that resolves inside is refused when sending.
    const inner =
      hook.allowPrivateNetwork || !URL.canParse(hook.url)
        ? null
        : obviouslyPrivateHost(new URL(hook.url));
    if (inner) {
      context.addIssue({
        code: 'custom',
        path: ['url'],
        input: hook.url,
        message: `${describeValue(hook.url)} points at ${inner}, a private, loopback or link-local address, and Parley pushes leads only to public addresses. For a CRM on your own network, add allowPrivateNetwork: true under webhook.`,
      });
    }
  });

const countries = new Set<string>(getCountries());

/** The default pipeline when the file lists no stages. */
export const DEFAULT_LEAD_STAGES: LeadStage[] = [
  { name: 'new', minScore: 0 },
  { name: 'qualified', minScore: 40 },
  { name: 'hot', minScore: 70 },
  { name: 'won', minScore: null },
  { name: 'lost', minScore: null },
];

/** The `leads:` section of the business file. */
export const leadsSection = z
  .strictObject({
    purpose: optionalText,
    defaultCountry: z
      .string()
      .trim()
      .refine((code) => countries.has(code), {
        error: (issue) =>
          `${describeValue(issue.input)} is not a country code. Use an ISO 3166 two-letter code in capitals, such as GB or US.`,
      })
      .optional(),
    questions: z
      .array(question)
      .min(1, { error: 'List at least one question, or leave the leads section out.' })
      .superRefine((questions, context) => requireUnique(questions, context, 'id', 'question')),
    scoring: z.array(scoringRule).default([]),
    stages: z
      .array(stage)
      .min(1)
      .superRefine((stages, context) => requireUnique(stages, context, 'name', 'stage'))
      .optional(),
    webhook: webhook.optional(),
  })
  .superRefine((section, context) => checkReferences(section, context));

type LeadsSection = z.output<typeof leadsSection>;

/** Checks what one field cannot: choices fit their type, rules name real questions and values. */
function checkReferences(section: LeadsSection, context: z.RefinementCtx): void {
  const issue = (path: Array<string | number>, input: unknown, message: string) =>
    context.addIssue({ code: 'custom', path, input, message });
  const byId = new Map(section.questions.map((entry) => [entry.id, entry]));

  section.questions.forEach((entry, index) => {
    if (entry.type === 'choice' && (entry.choices?.length ?? 0) === 0) {
      issue(
        ['questions', index, 'choices'],
        entry.choices,
        `The choice question ${entry.id} has no choices. List them, such as choices: [road, gravel, mountain].`,
      );
    }
    if (entry.type !== 'choice' && entry.choices !== undefined) {
      issue(
        ['questions', index, 'choices'],
        entry.choices,
        `Only choice questions take choices; ${entry.id} is a ${entry.type} question. Remove choices or set type: choice.`,
      );
    }
    if (entry.type !== 'number' && (entry.min !== undefined || entry.max !== undefined)) {
      issue(
        ['questions', index, entry.min === undefined ? 'max' : 'min'],
        entry.min ?? entry.max,
        `Only number questions take min and max; ${entry.id} is a ${entry.type} question.`,
      );
    }
    if (entry.min !== undefined && entry.max !== undefined && entry.min > entry.max) {
      issue(
        ['questions', index, 'max'],
        entry.max,
        `max ${entry.max} is below min ${entry.min}. Swap them.`,
      );
    }
  });

  section.scoring.forEach((rule, index) => {
    const path = ['scoring', index];
    const target = byId.get(rule.question);
    if (!target) {
      issue(
        [...path, 'question'],
        rule.question,
        `There is no question ${describeValue(rule.question)}. Use one of: ${[...byId.keys()].join(', ')}.`,
      );
      return;
    }
    const conditions = (['equals', 'atLeast', 'atMost', 'contains', 'answered'] as const).filter(
      (key) => rule[key] !== undefined,
    );
    if (conditions.length !== 1) {
      issue(
        path,
        rule,
        `Give each scoring rule exactly one condition (equals, atLeast, atMost, contains or answered); this one has ${conditions.length === 0 ? 'none' : conditions.join(' and ')}.`,
      );
      return;
    }
    const condition = conditions[0]!;
    if ((condition === 'atLeast' || condition === 'atMost') && target.type !== 'number') {
      issue(
        [...path, condition],
        rule[condition],
        `${condition} compares numbers, but ${target.id} is a ${target.type} question. Use equals or contains.`,
      );
    }
    if (condition === 'contains' && target.type !== 'text') {
      issue(
        [...path, 'contains'],
        rule.contains,
        `contains looks inside text answers, but ${target.id} is a ${target.type} question. Use equals${target.type === 'number' ? ', atLeast or atMost' : ''}.`,
      );
    }
    if (condition === 'equals') {
      const value = rule.equals!;
      const choices = target.choices ?? [];
      if (
        target.type === 'choice' &&
        !choices.some((choice) => choice.toLowerCase() === String(value).toLowerCase())
      ) {
        issue(
          [...path, 'equals'],
          value,
          `${describeValue(value)} is not one of the choices of ${target.id}: ${choices.join(', ')}.`,
        );
      }
      const expected =
        target.type === 'number' ? 'number' : target.type === 'boolean' ? 'boolean' : 'string';
      if (typeof value !== expected) {
        issue(
          [...path, 'equals'],
          value,
          `${target.id} is a ${target.type} question, so equals needs ${expected === 'string' ? 'text' : `a ${expected}`}, not ${describeValue(value)}.`,
        );
      }
    }
  });

  if (section.stages && !section.stages.some((entry) => entry.minScore !== undefined)) {
    issue(
      ['stages'],
      section.stages,
      'No stage has a minScore, so a score could never reach one. Give the first stage minScore: 0.',
    );
  }
}

/** Maps the validated section onto the settings the tools and the API read. */
export function toLeadSettings(section: LeadsSection): LeadSettings {
  return {
    purpose: section.purpose,
    defaultCountry: (section.defaultCountry as CountryCode | undefined) ?? null,
    questions: section.questions.map((entry) => ({
      id: entry.id,
      prompt: entry.prompt,
      type: entry.type,
      required: entry.required,
      choices: entry.choices ?? [],
      min: entry.min ?? null,
      max: entry.max ?? null,
    })),
    scoring: section.scoring.map((rule) => ({
      question: rule.question,
      points: rule.points,
      condition: toCondition(rule),
    })),
    stages: section.stages
      ? section.stages.map((entry) => ({ name: entry.name, minScore: entry.minScore ?? null }))
      : DEFAULT_LEAD_STAGES,
    webhook: section.webhook
      ? {
          url: section.webhook.url,
          secret: section.webhook.secret,
          allowPrivateNetwork: section.webhook.allowPrivateNetwork,
        }
      : null,
  };
}

function toCondition(rule: LeadsSection['scoring'][number]): LeadCondition {
  if (rule.equals !== undefined) return { kind: 'equals', value: rule.equals };
  if (rule.atLeast !== undefined) return { kind: 'atLeast', value: rule.atLeast };
  if (rule.atMost !== undefined) return { kind: 'atMost', value: rule.atMost };
  if (rule.contains !== undefined) return { kind: 'contains', value: rule.contains };
  return { kind: 'answered' };
}
