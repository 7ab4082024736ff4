import { z } from 'zod';
import { WEEKDAYS, type OpeningHours, type Weekday } from '../core/business.js';
import { describeValue } from './describe-value.js';

// "09:00-18:00"; also forgiving of "9:00 - 18:00" and an en dash, which people type.
const RANGE = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/;
const RANGE_HINT = 'Write it as "HH:MM-HH:MM" in 24-hour time, such as "09:00-17:30".';

interface Range {
  open: string;
  close: string;
}

const rangeSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? undefined
        : `${describeValue(issue.input)} is not a time range. ${RANGE_HINT}`,
  })
  .transform((text, context): Range => {
    const match = RANGE.exec(text.trim());
    const [openHour, openMinute, closeHour, closeMinute] = (match?.slice(1) ?? []).map(Number);
    if (
      openHour === undefined ||
      openMinute === undefined ||
      closeHour === undefined ||
      closeMinute === undefined ||
      !isTime(openHour, openMinute, false) ||
      !isTime(closeHour, closeMinute, true)
    ) {
      context.addIssue({
        code: 'custom',
        input: text,
        message: `${describeValue(text)} is not a time range. ${RANGE_HINT}`,
      });
      return z.NEVER;
    }
    const open = formatTime(openHour, openMinute);
    const close = formatTime(closeHour, closeMinute);
    if (close <= open) {
      context.addIssue({
        code: 'custom',
        input: text,
        message: `${describeValue(text)} closes before it opens. For hours past midnight, end the day at 24:00 and start the next day at 00:00.`,
      });
      return z.NEVER;
    }
    return { open, close };
  });

const dayRangesSchema = z
  .preprocess(
    // A single range may be written without the list brackets, and an empty day means closed.
    (value) => (typeof value === 'string' ? [value] : value === null ? [] : value),
    z.array(rangeSchema, {
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : `${describeValue(issue.input)} is not a list of time ranges. Write the day as a list, such as ["09:00-12:30", "13:30-18:00"], or leave the day out when closed.`,
    }),
  )
  .transform((ranges, context): Range[] => {
    const sorted = [...ranges].sort((left, right) => left.open.localeCompare(right.open));
    for (let index = 1; index < sorted.length; index++) {
      const previous = sorted[index - 1]!;
      const current = sorted[index]!;
      if (current.open < previous.close) {
        context.addIssue({
          code: 'custom',
          input: ranges,
          message: `${previous.open}-${previous.close} and ${current.open}-${current.close} overlap. Merge them into one range or make the second start when the first ends.`,
        });
        return z.NEVER;
      }
    }
    return sorted;
  });

/**
 * Opening hours by weekday (`mon`..`sun`), each a list of `"HH:MM-HH:MM"` ranges in the business's
 * time zone. A day left out, or given an empty list, is closed. `24:00` may close a day.
 */
export const openingHoursSchema = z
  .strictObject(
    Object.fromEntries(WEEKDAYS.map((day) => [day, dayRangesSchema.optional()])) as Record<
      Weekday,
      z.ZodOptional<typeof dayRangesSchema>
    >,
  )
  .transform((days): OpeningHours => {
    const hours: OpeningHours = {};
    for (const day of WEEKDAYS) {
      const ranges = days[day];
      if (ranges && ranges.length > 0) hours[day] = ranges;
    }
    return hours;
  });

function isTime(hour: number, minute: number, mayBeMidnightEnd: boolean): boolean {
  if (mayBeMidnightEnd && hour === 24 && minute === 0) return true;
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
}

function formatTime(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}
