import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { LeadAnswer, LeadQuestion, LeadSettings } from '../../core/leads.js';

/** The longest text answer kept; a longer one is refused, not cut (the model can summarise). */
export const MAX_TEXT_ANSWER = 500;

export type AnswerCheck =
  { ok: true; answers: Record<string, LeadAnswer> } | { ok: false; problems: string[] };

const emailSchema = z.email();
const MAX_PROBLEMS = 8;

/**
 * Checks the model's answers against the business's questions and normalises them (a choice as
 * configured, an e-mail lower-cased, a phone in E.164). All or nothing: one bad answer refuses the
 * call, and each problem says how to ask or pass it again.
 */
export function validateLeadAnswers(
  settings: LeadSettings,
  raw: Readonly<Record<string, unknown>>,
): AnswerCheck {
  const byId = new Map(settings.questions.map((question) => [question.id, question]));
  const answers: Record<string, LeadAnswer> = {};
  const problems: string[] = [];
  const entries = Object.entries(raw);
  if (entries.length === 0) {
    problems.push(
      `Pass at least one answer, keyed by question id (${[...byId.keys()].join(', ')}).`,
    );
  }
  for (const [key, value] of entries) {
    const question = byId.get(key);
    if (!question) {
      problems.push(
        `${JSON.stringify(key.slice(0, 40))} is not a question of this business. Use only these ids: ${[...byId.keys()].join(', ')}.`,
      );
      continue;
    }
    const result = checkAnswer(question, value, settings.defaultCountry);
    if (typeof result === 'string') problems.push(`${question.id}: ${result}`);
    else answers[question.id] = result.value;
  }
  if (problems.length > MAX_PROBLEMS) {
    // A flood of junk keys must not flood the model's context in return.
    problems.splice(MAX_PROBLEMS, problems.length, `…and ${problems.length - MAX_PROBLEMS} more.`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, answers };
}

function checkAnswer(
  question: LeadQuestion,
  value: unknown,
  defaultCountry: string | null,
): { value: LeadAnswer } | string {
  const text = typeof value === 'string' ? value.replace(/\p{Cc}+/gu, ' ').trim() : null;
  switch (question.type) {
    case 'text': {
      if (text === null || text === '') return 'pass the answer as non-empty text.';
      if (text.length > MAX_TEXT_ANSWER) {
        return `the answer is ${text.length} characters; keep it to ${MAX_TEXT_ANSWER} (summarise it).`;
      }
      return { value: text };
    }
    case 'number': {
      const number = toNumber(value);
      if (number === null) {
        return 'pass a plain number, such as 2500 (no currency, units or words). Ask the customer for a figure if they gave none.';
      }
      const { min, max } = question;
      if ((min !== null && number < min) || (max !== null && number > max)) {
        const range =
          min !== null && max !== null
            ? `from ${min} to ${max}`
            : min !== null
              ? `at least ${min}`
              : `at most ${max}`;
        return `${number} is out of range; it must be ${range}. Check the figure with the customer.`;
      }
      return { value: number };
    }
    case 'choice': {
      const wanted = (text ?? (typeof value === 'number' ? String(value) : '')).toLowerCase();
      const choice = question.choices.find((entry) => entry.toLowerCase() === wanted);
      if (!choice) {
        return `${describe(value)} is not one of the choices. Pass exactly one of: ${question.choices.join(', ')} (pick the closest to what the customer said, or ask them).`;
      }
      return { value: choice };
    }
    case 'email': {
      if (text === null || !emailSchema.safeParse(text).success) {
        return `${describe(value)} is not an e-mail address. Ask the customer to write it again, like name@example.com.`;
      }
      return { value: text.toLowerCase() };
    }
    case 'phone': {
      const phone =
        text === null
          ? undefined
          : parsePhoneNumberFromString(
              text,
              (defaultCountry ?? undefined) as CountryCode | undefined,
            );
      if (!phone?.isValid()) {
        return `${describe(value)} is not a valid phone number. Ask the customer for it with the country code, like +44 7700 900123.`;
      }
      return { value: phone.number };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      const word = text?.toLowerCase();
      if (word === 'true' || word === 'yes') return { value: true };
      if (word === 'false' || word === 'no') return { value: false };
      return `${describe(value)} is not yes or no. Pass true or false.`;
    }
  }
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  // "2,500" and "2 500" are how people write thousands; anything else (currency, words) is refused.
  const compact = value.trim().replace(/(?<=\d)[,\s_](?=\d{3}\b)/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(compact)) return null;
  const number = Number(compact);
  return Number.isFinite(number) ? number : null;
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify((text ?? String(value)).slice(0, 60));
}
