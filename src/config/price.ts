import { z } from 'zod';
import { describeValue } from './describe-value.js';

/** A price as written in the file: a non-negative decimal in major units (pounds, euros). */
export type Price = string;

// Written prices are decimals in major units; the catalog stores integers in minor units.
const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;
// The catalog's price columns are 32-bit integers.
const MAX_MINOR = 2_147_483_647;

/**
 * A price in major units, given as a YAML number (`24.99`) or string (`"24.99"`). Validated here
 * and normalised to a decimal string; `toMinorUnits` converts it once the currency is known.
 */
export const priceSchema = z
  .union([z.number(), z.string()], {
    // An absent price falls through to the generic "missing" message.
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? undefined
        : `${describeValue(issue.input)} is not a price. Write the amount in major units, such as 24.99.`,
  })
  .transform((value, context): Price => {
    const text = typeof value === 'number' ? String(value) : value.trim();
    if (/^-/.test(text)) {
      context.addIssue({
        code: 'custom',
        input: value,
        message: `${describeValue(value)} is negative. Prices must be 0 or more.`,
      });
      return z.NEVER;
    }
    const match = DECIMAL.exec(text);
    if (!match) {
      const tooPrecise = /^\d+\.\d{3,}$/.test(text);
      context.addIssue({
        code: 'custom',
        input: value,
        message: tooPrecise
          ? `${describeValue(value)} has more than 2 decimals. Round it to whole pence or cents, such as ${Number(text).toFixed(2)}.`
          : `${describeValue(value)} is not a price. Write the amount in major units, such as 24.99.`,
      });
      return z.NEVER;
    }
    return match[2] === undefined ? match[1]! : `${match[1]}.${match[2]}`;
  });

/** Digits after the decimal point in the currency's minor unit: 2 for GBP, 0 for JPY. */
export function currencyMinorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits!;
}

/** Converts a validated price to integer minor units of `currency`, or says why it cannot. */
export function toMinorUnits(
  price: Price,
  currency: string,
): { ok: true; minor: number } | { ok: false; message: string } {
  const digits = currencyMinorDigits(currency);
  const [whole = '0', fraction = ''] = price.split('.');
  if (fraction.replace(/0+$/, '').length > digits) {
    return {
      ok: false,
      message:
        digits === 0
          ? `${price} has decimals, but ${currency} has no minor unit. Write a whole amount, such as ${Math.round(Number(price))}.`
          : `${price} has more decimals than ${currency} allows. Use at most ${digits}.`,
    };
  }
  // Integer arithmetic on the digits: 0.29 * 100 is 28.999999999999996 in floating point.
  const minor = Number(whole + fraction.padEnd(digits, '0').slice(0, digits));
  if (minor > MAX_MINOR) {
    return { ok: false, message: `${price} is too large for a price. Check the amount.` };
  }
  return { ok: true, minor };
}
