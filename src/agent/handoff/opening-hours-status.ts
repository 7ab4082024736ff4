import { WEEKDAYS, type BusinessProfile, type Weekday } from '../../core/business.js';

export interface OpeningStatus {
  open: boolean;
  /** Local wall-clock time in the business's time zone, e.g. `sun 21:14`. */
  localTime: string;
  /** When it opens next, e.g. `mon 09:00` (null when the business has no hours at all). */
  nextOpening: string | null;
}

/** Whether the business is open at `now`, in its own time zone. No hours set counts as open. */
export function openingStatus(profile: BusinessProfile, now: Date): OpeningStatus {
  const { day, minutes } = localDayAndMinutes(now, profile.timezone);
  const localTime = `${day} ${formatMinutes(minutes)}`;
  const hasHours = WEEKDAYS.some((weekday) => (profile.openingHours[weekday]?.length ?? 0) > 0);
  if (!hasHours) return { open: true, localTime, nextOpening: null };
  const today = profile.openingHours[day] ?? [];
  const open = today.some(
    (range) => toMinutes(range.open) <= minutes && minutes < toMinutes(range.close),
  );
  return { open, localTime, nextOpening: open ? null : findNextOpening(profile, day, minutes) };
}

function findNextOpening(profile: BusinessProfile, day: Weekday, minutes: number): string | null {
  const start = WEEKDAYS.indexOf(day);
  for (let offset = 0; offset <= 7; offset++) {
    const weekday = WEEKDAYS[(start + offset) % 7]!;
    for (const range of profile.openingHours[weekday] ?? []) {
      if (offset > 0 || toMinutes(range.open) > minutes) return `${weekday} ${range.open}`;
    }
  }
  return null;
}

function localDayAndMinutes(now: Date, timeZone: string): { day: Weekday; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase().slice(0, 3) as Weekday;
  return { day, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

function toMinutes(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function formatMinutes(total: number): string {
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
