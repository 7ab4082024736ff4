import { z } from 'zod';
import { describeValue } from './describe-value.js';
import { nearestKey } from './nearest-key.js';

// The building blocks of the business file's schema. Each one's error messages say what is wrong
// with the value and how to fix it; an absent value falls through (returns undefined) to the
// generic "is missing" message of `configErrorMap`.

const SLUG = /^[a-z0-9-]+$/;

/** Trimmed text that must not be empty. */
export const requiredText = z.string().trim().min(1);

/** Trimmed text that may be left out (then empty). */
export const optionalText = z.string().trim().default('');

/** A whole number in `min`..`max`. */
export function wholeNumber(min: number, max: number) {
  const error = (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined || issue.input === null
      ? undefined
      : `${describeValue(issue.input)} is not allowed here. Use a whole number from ${min} to ${max}.`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A lower-case identifier such as `northside-cycles` or `road-bike-54`. */
export function slug(what: string, example: string, maxLength: number, minLength = 1) {
  const error = (issue: { input?: unknown }): string | undefined => {
    if (issue.input === undefined || issue.input === null) return undefined;
    const suggestion = typeof issue.input === 'string' ? slugify(issue.input) : '';
    const fixed =
      suggestion.length >= minLength && suggestion.length <= maxLength ? suggestion : example;
    return `${describeValue(issue.input)} is not a valid ${what}. Use ${minLength}–${maxLength} lower-case letters, digits and hyphens, such as ${fixed}.`;
  };
  return z
    .string({ error })
    .trim()
    .min(minLength, { error })
    .max(maxLength, { error })
    .regex(SLUG, { error });
}

/** An absolute http(s) URL. */
export function httpUrl(example: string) {
  const error = (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined || issue.input === null
      ? undefined
      : `${describeValue(issue.input)} is not an http(s) URL. Write the full address, such as ${example}.`;
  return z.string({ error }).trim().refine(isHttpUrl, { error });
}

/** A web origin (scheme, host and port, no path), normalised as browsers send it. */
export const origin = httpUrl('https://shop.example')
  .refine((value) => ['', '/'].includes(new URL(value).pathname), {
    error: (issue) =>
      `${describeValue(issue.input)} has a path. An origin is only the scheme, host and port, such as https://shop.example.`,
  })
  .transform((value) => new URL(value).origin);

/** An IANA time zone name, as the runtime's Intl knows it. */
export const timeZone = z
  .string()
  .trim()
  .refine(isTimeZone, {
    error: (issue) => {
      const zones = Intl.supportedValuesOf('timeZone');
      const example =
        typeof issue.input === 'string' ? nearestKey(issue.input, zones) : 'Europe/London';
      return `${describeValue(issue.input)} is not a time zone. Use an IANA name such as ${example ?? 'Europe/London'}.`;
    },
  });

/** A BCP 47 language tag, canonicalised (`EN-gb` becomes `en-GB`). */
export const languageTag = z
  .string()
  .trim()
  .refine(isLanguageTag, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a BCP 47 language tag. Use a tag such as en, en-GB or es-MX.`,
  })
  .transform((tag) => Intl.getCanonicalLocales(tag)[0]!);

/** An ISO 4217 currency code the runtime can format. */
export const currencyCode = z
  .string()
  .trim()
  .refine((code) => Intl.supportedValuesOf('currency').includes(code), {
    error: (issue) => {
      const upper = typeof issue.input === 'string' ? issue.input.trim().toUpperCase() : '';
      return Intl.supportedValuesOf('currency').includes(upper)
        ? `${describeValue(issue.input)} must be upper case. Write ${upper}.`
        : `${describeValue(issue.input)} is not an ISO 4217 currency code. Use a three-letter code such as GBP, EUR or USD.`;
    },
  });

/** `true` or `false`. */
export const flag = z.boolean({
  error: (issue) =>
    issue.input === undefined || issue.input === null
      ? undefined
      : `${describeValue(issue.input)} is not true or false. Write true or false, without quotes.`,
});

/**
 * Adds an issue at `[index, field]` for every item whose `field` repeats an earlier one: handles,
 * slugs and variant titles are how the catalog tells rows apart.
 */
export function requireUnique<T>(
  items: readonly T[],
  context: z.RefinementCtx,
  field: keyof T & string,
  owner: string,
): void {
  const seen = new Set<unknown>();
  items.forEach((item, index) => {
    const value = item[field];
    if (value === undefined || value === null) return;
    if (!seen.has(value)) {
      seen.add(value);
      return;
    }
    context.addIssue({
      code: 'custom',
      path: [index, field],
      input: value,
      message: `${describeValue(value)} is already used by an earlier ${owner}. Give each ${owner} its own ${field}.`,
    });
  });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value !== '';
  } catch {
    return false;
  }
}

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
